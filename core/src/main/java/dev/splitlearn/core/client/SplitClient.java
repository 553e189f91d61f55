package dev.splitlearn.core.client;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.splitlearn.core.defense.DefenseChain;
import dev.splitlearn.core.defense.DefenseChain.Purpose;
import dev.splitlearn.core.defense.Defenses;
import dev.splitlearn.core.defense.GradientDp;
import dev.splitlearn.core.encrypted.ActivationCipher;
import dev.splitlearn.core.kernels.EngineThread;
import dev.splitlearn.core.party.DistanceCorrelation;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.party.PartModel;
import dev.splitlearn.core.party.PretrainedExtractor;
import dev.splitlearn.core.party.Tensors;
import dev.splitlearn.core.protocol.ActivationEncoding;
import dev.splitlearn.core.protocol.Compression;
import dev.splitlearn.core.protocol.ErrorCode;
import dev.splitlearn.core.protocol.FloatTensor;
import dev.splitlearn.core.protocol.Message.Ack;
import dev.splitlearn.core.protocol.Message.Barrier;
import dev.splitlearn.core.protocol.Message.FetchWeights;
import dev.splitlearn.core.protocol.Message.Hello;
import dev.splitlearn.core.protocol.Message.NamedTensor;
import dev.splitlearn.core.protocol.Message.Weights;
import dev.splitlearn.core.protocol.Message.Welcome;
import dev.splitlearn.core.protocol.MessageCodec;
import dev.splitlearn.core.protocol.ProtocolException;
import dev.splitlearn.core.protocol.Transport;
import dev.splitlearn.models.LocalTopology;
import dev.splitlearn.models.ModelSpec;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Role;
import dev.splitlearn.models.SplitPlan;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A data holder's parts of the model: the extractor on its raw data and, in U-shaped mode, the
 * classifier with the labels and the loss. Talks to the server only through its {@link Transport};
 * what crosses the cut is the job of a {@link CutExchange} (plaintext or encrypted). Engine work
 * runs under the {@link EngineThread}, waits for the server outside it. Not thread-safe.
 */
public final class SplitClient implements AutoCloseable {
  private static final String EXTRACTOR = "extractor/";
  private static final String CLASSIFIER = "classifier/";

  private final int id;
  private final SplitPlan plan;
  private final PartModel extractor;
  private final PartModel classifier;
  private final Transport transport;
  private final CutExchange cut;
  private final int minBatch;
  private float noPeek;
  private DefenseChain defenses = DefenseChain.NONE;
  private PretrainedExtractor pretrained;

  /**
   * Creates client {@code id}'s parts of {@code plan}, initialised from {@code seed}; plaintext
   * cut.
   */
  public SplitClient(
      int id, SplitPlan plan, long seed, OptimizerSpec optimizer, Transport transport) {
    this(id, plan, seed, optimizer, transport, null);
  }

  /**
   * As above; with {@code he} non-null, activations cross the cut encrypted under a key this
   * client's cipher holds (u-shaped plans whose server part is one linear layer).
   *
   * @throws IllegalArgumentException if encryption is asked for a plan it cannot serve
   */
  public SplitClient(
      int id,
      SplitPlan plan,
      long seed,
      OptimizerSpec optimizer,
      Transport transport,
      ActivationCipher he) {
    if (he != null && !plan.labelsOnClient()) {
      throw new IllegalArgumentException(
          "encrypted training needs the u-shaped protocol, got " + plan);
    }
    List<Shape> shapes =
        EngineThread.call(plan.model()::boundaryShapes); // uses the engine's random generator
    Shape cutShape = shapes.get(plan.from(Role.CLOUD));
    if (he != null
        && (cutShape.dimension() != 2 || plan.to(Role.CLOUD) - plan.from(Role.CLOUD) != 1)) {
      throw new IllegalArgumentException(
          "encrypted training needs a server part that is one linear layer on flat "
              + "activations (e.g. ecg-cnn); "
              + plan
              + " gives the server "
              + (plan.to(Role.CLOUD) - plan.from(Role.CLOUD))
              + " stage(s) taking "
              + cutShape);
    }
    this.id = id;
    this.plan = plan;
    this.transport = transport;
    this.extractor =
        PartModel.create(
            "client-" + id + "/extractor",
            plan.model(),
            plan.from(Role.EXTRACTOR),
            plan.to(Role.EXTRACTOR),
            seed,
            optimizer);
    this.classifier =
        plan.labelsOnClient()
            ? PartModel.create(
                "client-" + id + "/classifier",
                plan.model(),
                plan.from(Role.CLASSIFIER),
                plan.to(Role.CLASSIFIER),
                seed,
                optimizer)
            : null;
    int outputs = (int) shapes.get(plan.to(Role.CLOUD)).size();
    this.minBatch =
        he == null || he.exchange() != dev.splitlearn.core.encrypted.GradientExchange.AGGREGATE
            ? 1
            : he.privacy().minBatch();
    this.cut =
        he == null
            ? new PlaintextExchange(id, classifier, transport)
            : new EncryptedExchange(id, classifier, transport, he, outputs);
  }

  /**
   * Makes the extractor PrivyNet's: the plan's pre-trained blocks loaded from {@code p} and frozen
   * (no gradient, no optimizer step, no optimizer state; inference mode, so normalisation
   * statistics stay the pre-trained ones), then the plan's channel selection. The client trains
   * only its classifier; the extractor's weights are no longer exchanged in weight averaging. Call
   * before training.
   *
   * @throws IllegalArgumentException if the plan has no local topology or {@code p} is of another
   *     model
   * @throws IOException if the weights cannot be read or do not fit
   */
  public void useFrozenExtractor(PretrainedExtractor p) throws IOException {
    if (plan.model().localTopology() == null) {
      throw new IllegalArgumentException(
          "a frozen pretrained extractor needs a plan with --layers (client " + id + ")");
    }
    p.requireFits(plan.model(), "--extractor pretrained:" + p.weights());
    LocalTopology t = plan.model().localTopology();
    if (plan.model().prunedExtractor()) { // block k holds only the kept filters: load them sliced
      ModelSpec full =
          ModelZoo.get(
              plan.model().name(),
              plan.model().sampleShape().getShape(),
              plan.model().numClasses());
      p.loadPrunedInto(extractor, full, t.layers(), t.indices());
    } else {
      p.loadInto(extractor, t.layers());
    }
    EngineThread.run(extractor::freeze);
    this.pretrained = p;
  }

  /** The pre-trained weights the frozen extractor came from, or null if the extractor trains. */
  public PretrainedExtractor pretrained() {
    return pretrained;
  }

  /**
   * Adds NoPeek to the extractor's loss: {@code alpha} times the squared distance correlation of
   * each batch's raw inputs and its activations (0, the default, turns it off).
   */
  public void useNoPeek(float alpha) {
    if (!(alpha >= 0) || Float.isInfinite(alpha)) {
      throw new IllegalArgumentException("--nopeek must be a finite weight >= 0, got " + alpha);
    }
    if (alpha > 0 && pretrained != null) {
      throw new IllegalArgumentException(
          "--nopeek trains the extractor against leakage; a frozen --extractor "
              + "pretrained does not train");
    }
    this.noPeek = alpha;
  }

  /**
   * Applies {@code d} to every activation this client sends from now on (training and inference),
   * its noise seeded per client; {@link Defenses#NONE} turns them off. NoPeek still sees the
   * extractor's own output.
   */
  public void useDefenses(Defenses d) {
    this.defenses = d.active() ? d.chain(id) : DefenseChain.NONE;
  }

  /**
   * Distance correlation dCor(X, A) of one batch's raw inputs and the activations as this client
   * would send them (its defenses applied, with noise of their own stream), in inference mode: the
   * leakage metric, measured outside training so that it costs no step time.
   */
  public double leakage(float[] features, Shape shape) {
    try (NDManager scope = extractor.newScope()) {
      return EngineThread.call(
          () -> {
            NDArray x = scope.create(features, shape);
            NDArray sent = defenses.apply(extractor.forward(x, false), Purpose.PROBE, -1);
            float dcor2 = DistanceCorrelation.squared(x, sent).getFloat();
            return Math.sqrt(Math.max(0, dcor2));
          });
    }
  }

  /**
   * Clips each sample's row of the cloud output's gradient this client sends to the server and adds
   * Gaussian noise ({@link GradientDp}; u-shaped plaintext training: without it the server reads
   * the labels off these rows); null turns it off. The client's own classifier trains on the clean
   * loss.
   *
   * @throws IllegalArgumentException for vanilla plans (the server applies it there) and encrypted
   *     training (see {@code --he-dp-clip})
   */
  public void useGradientDp(GradientDp dp) {
    if (dp != null && !(cut instanceof PlaintextExchange)) {
      throw new IllegalArgumentException(
          "--grad-dp-clip protects plaintext gradients; encrypted training has "
              + "--he-dp-clip and --he-dp-noise");
    }
    if (cut instanceof PlaintextExchange p) {
      p.useGradientDp(dp);
    }
  }

  /** Replaces the optimizer of the client's parts (before the first step). */
  public void useOptimizer(OptimizerSpec spec) {
    EngineThread.run(
        () -> {
          extractor.useOptimizer(spec);
          if (classifier != null) {
            classifier.useOptimizer(spec);
          }
        });
  }

  /**
   * The smallest training batch this client may send (short trailing batches are merged into the
   * one before).
   */
  public int minBatch() {
    return minBatch;
  }

  /** This client's id. */
  public int id() {
    return id;
  }

  /** The plan. */
  public SplitPlan plan() {
    return plan;
  }

  /** The extractor (for checkpoints, accounting and attacks). */
  public PartModel extractor() {
    return extractor;
  }

  /** The classifier, or null in vanilla mode. */
  public PartModel classifier() {
    return classifier;
  }

  /** The link to the server. */
  public Transport transport() {
    return transport;
  }

  /**
   * Opens the session: announces the plan (what the server must agree on: the whole plan, or for a
   * shared-cloud model the cloud part and the cut), the compression and this client's data, and
   * waits until the server has welcomed every client of the run.
   *
   * @throws dev.splitlearn.core.protocol.RemoteException if the server refuses (plan, version, id)
   */
  public Welcome join(Compression compression, int trainBatches, long trainSamples)
      throws IOException {
    return join(compression, ActivationEncoding.DENSE, trainBatches, trainSamples);
  }

  /**
   * As above, announcing how the activations are laid out ({@code activations}: what the
   * transport's codec writes).
   */
  public Welcome join(
      Compression compression, ActivationEncoding activations, int trainBatches, long trainSamples)
      throws IOException {
    Hello hello =
        new Hello(
            id,
            MessageCodec.VERSION,
            plan.serverFingerprint(),
            compression,
            cut.heParameters(),
            trainBatches,
            trainSamples,
            activations);
    return Replies.expect(transport.exchange(hello), Welcome.class, id, -1);
  }

  /**
   * One training step on a batch: forward through all parts, backward, and an optimizer update on
   * every party. The client's defenses transform the activations inside the graph before they are
   * sent, so the server's gradient of what it received flows back through them to the extractor.
   *
   * @param step this client's step counter, echoed by the server
   * @param features row-major batch, shape {@code shape}
   * @param labels one label per sample
   * @return the batch loss
   */
  public float trainStep(long step, float[] features, Shape shape, int[] labels)
      throws IOException {
    try (NDManager scope = extractor.newScope()) {
      NDArray[] a = new NDArray[2]; // what is sent, and alpha dCor^2(X, A) when NoPeek is on
      boolean frozen = pretrained != null;
      FloatTensor activations =
          EngineThread.call(
              () -> {
                NDArray x = scope.create(features, shape);
                if (frozen) { // no graph, no gradient: inference mode through the frozen blocks
                  a[0] = defenses.apply(extractor.forward(x, false), Purpose.TRAIN, step);
                  return Tensors.view(a[0]);
                }
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                  NDArray z = extractor.forward(x, true);
                  if (noPeek > 0) { // in the graph: the extractor's loss gets alpha dCor^2
                    a[1] = DistanceCorrelation.squared(x, z).mul(Tensors.scalar(scope, noPeek));
                  }
                  a[0] =
                      defenses.apply(z, Purpose.TRAIN, step); // z itself when there is no defense
                }
                return Tensors.view(
                    a[0]); // a[0] stays open in this scope until the exchange is over
              });
      CutExchange.Result r = cut.train(step, activations, labels);
      if (frozen) {
        return r.loss(); // the server sends no gradient for a frozen extractor (an empty tensor)
      }
      if (!a[0].getShape().equals(new Shape(r.activationGradient().shape()))) {
        throw new ProtocolException(
            ErrorCode.INVALID_ARGUMENT,
            "Gradient for client "
                + id
                + ": shape "
                + new Shape(r.activationGradient().shape())
                + " does not match the activations "
                + a[0].getShape());
      }
      EngineThread.run(
          () -> {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
              NDArray dA = Tensors.toArray(scope, r.activationGradient());
              if (a[1] == null) {
                Tensors.backward(a[0], dA);
              } else { // the server's gradient and NoPeek's in one pass
                gc.backward(a[0].mul(dA).sum().add(a[1]));
              }
            }
            extractor.step();
          });
      return r.loss();
    }
  }

  /** Logits of a batch in inference mode, row-major (batch, classes). */
  public float[] predict(long step, float[] features, Shape shape) throws IOException {
    try (NDManager scope = extractor.newScope()) {
      FloatTensor a =
          EngineThread.call(
              () ->
                  Tensors.view( // the scope stays open until the prediction is back
                      defenses.apply(
                          extractor.forward(scope.create(features, shape), false),
                          Purpose.PREDICT,
                          step)));
      return cut.predict(step, a);
    }
  }

  /**
   * Copies of this client's weights (extractor unless frozen, then classifier), names prefixed by
   * part.
   */
  public List<NamedTensor> weights() {
    return EngineThread.call(
        () -> {
          List<NamedTensor> out = new ArrayList<>();
          if (pretrained
              == null) { // a frozen extractor is the same on every client: nothing to average
            extractor
                .weights()
                .forEach(t -> out.add(new NamedTensor(EXTRACTOR + t.name(), t.tensor())));
          }
          if (classifier != null) {
            classifier
                .weights()
                .forEach(t -> out.add(new NamedTensor(CLASSIFIER + t.name(), t.tensor())));
          }
          return out;
        });
  }

  /** Overwrites this client's weights with tensors named as by {@link #weights()}. */
  public void loadWeights(List<NamedTensor> weights) {
    List<NamedTensor> ext = new ArrayList<>();
    List<NamedTensor> cls = new ArrayList<>();
    for (NamedTensor t : weights) {
      if (t.name().startsWith(EXTRACTOR)) {
        ext.add(new NamedTensor(t.name().substring(EXTRACTOR.length()), t.tensor()));
      } else if (t.name().startsWith(CLASSIFIER) && classifier != null) {
        cls.add(new NamedTensor(t.name().substring(CLASSIFIER.length()), t.tensor()));
      } else {
        throw new ProtocolException(
            ErrorCode.INVALID_ARGUMENT, "client " + id + ": unexpected weight tensor " + t.name());
      }
    }
    if (pretrained != null && !ext.isEmpty()) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT, "client " + id + ": weights for its frozen extractor");
    }
    EngineThread.run(
        () -> {
          if (pretrained == null) {
            extractor.loadWeights(ext);
          }
          if (classifier != null) {
            classifier.loadWeights(cls);
          }
        });
  }

  /** Uploads this client's weights for {@code round}, weighted by {@code samples}. */
  public void uploadWeights(long round, long samples) throws IOException {
    Replies.expect(
        transport.exchange(new Weights(id, round, samples, weights())), Ack.class, id, round);
  }

  /** Replaces this client's weights with the server's average of {@code round} (waits for it). */
  public void fetchWeights(long round) throws IOException {
    List<NamedTensor> w =
        Replies.expect(transport.exchange(new FetchWeights(id, round)), Weights.class, id, round)
            .tensors();
    // empty: no one before this client uploaded (they dropped out), so it keeps its own
    if (!w.isEmpty()) {
      loadWeights(w);
    }
  }

  /** Waits until every client has finished {@code epoch}. */
  public void barrier(int epoch) throws IOException {
    Replies.expect(transport.exchange(new Barrier(id, epoch)), Ack.class, id, epoch);
  }

  /** Forward FLOPs per sample of this client's parts. */
  public long flopsPerSample() {
    return extractor.flopsPerSample() + (classifier == null ? 0 : classifier.flopsPerSample());
  }

  /** Parameters this client stores. */
  public long parameterCount() {
    return extractor.parameterCount() + (classifier == null ? 0 : classifier.parameterCount());
  }

  @Override
  public void close() throws IOException {
    EngineThread.run(
        () -> {
          extractor.close();
          if (classifier != null) {
            classifier.close();
          }
        });
    transport.close();
  }
}
