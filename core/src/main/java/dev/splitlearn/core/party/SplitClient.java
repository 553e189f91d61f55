package dev.splitlearn.core.party;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.splitlearn.core.encrypted.ActivationCipher;
import dev.splitlearn.core.encrypted.GradientExchange;
import dev.splitlearn.core.encrypted.LinearGradients;
import dev.splitlearn.core.protocol.FloatTensor;
import dev.splitlearn.core.protocol.Message;
import dev.splitlearn.core.protocol.Message.EncryptedForward;
import dev.splitlearn.core.protocol.Message.EncryptedOutput;
import dev.splitlearn.core.protocol.Message.FetchWeights;
import dev.splitlearn.core.protocol.Message.Forward;
import dev.splitlearn.core.protocol.Message.Gradient;
import dev.splitlearn.core.protocol.Message.HeSetup;
import dev.splitlearn.core.protocol.Message.LayerGradient;
import dev.splitlearn.core.protocol.Message.NamedTensor;
import dev.splitlearn.core.protocol.Message.ServerOutput;
import dev.splitlearn.core.protocol.Message.Weights;
import dev.splitlearn.core.protocol.ProtocolException;
import dev.splitlearn.core.protocol.Transport;
import dev.splitlearn.models.Role;
import dev.splitlearn.models.SplitPlan;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A data holder: runs the extractor on its raw data and, in U-shaped mode, the classifier with the
 * labels and the loss. Talks to the server only through its {@link Transport}. Not thread-safe.
 */
public final class SplitClient implements AutoCloseable {
  private static final String EXTRACTOR = "extractor/";
  private static final String CLASSIFIER = "classifier/";

  private final int id;
  private final SplitPlan plan;
  private final PartModel extractor;
  private final PartModel classifier;
  private final Transport transport;
  private final ActivationCipher encrypted;
  private boolean encryptionSetUp;

  /** Creates client {@code id}'s parts of {@code plan}, initialised from {@code seed}. */
  public SplitClient(int id, SplitPlan plan, long seed, OptimizerSpec optimizer, Transport transport) {
    this(id, plan, seed, optimizer, transport, null);
  }

  /**
   * As above; with {@code he} non-null, activations cross the cut encrypted under a key this
   * client's cipher holds (u-shaped plans whose server part is one linear layer).
   */
  public SplitClient(int id, SplitPlan plan, long seed, OptimizerSpec optimizer, Transport transport,
      ActivationCipher he) {
    if (he != null && !plan.labelsOnClient()) {
      throw new IllegalArgumentException("encrypted training needs the u-shaped protocol, got " + plan);
    }
    Shape cut = plan.model().boundaryShapes().get(plan.from(Role.CLOUD));
    if (he != null && (cut.dimension() != 2 || plan.to(Role.CLOUD) - plan.from(Role.CLOUD) != 1)) {
      throw new IllegalArgumentException("encrypted training needs a server part that is one linear layer on flat "
          + "activations (e.g. ecg-cnn); " + plan + " gives the server " + (plan.to(Role.CLOUD) - plan.from(Role.CLOUD))
          + " stage(s) taking " + cut);
    }
    this.id = id;
    this.encrypted = he;
    this.plan = plan;
    this.transport = transport;
    this.extractor = new PartModel("client-" + id + "/extractor", plan.model(),
        plan.from(Role.EXTRACTOR), plan.to(Role.EXTRACTOR), seed, optimizer);
    this.classifier = plan.labelsOnClient()
        ? new PartModel("client-" + id + "/classifier", plan.model(), plan.from(Role.CLASSIFIER),
            plan.to(Role.CLASSIFIER), seed, optimizer)
        : null;
  }

  /** This client's id. */
  public int id() {
    return id;
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
   * One training step on a batch: forward through all parts, backward, and an optimizer update on
   * every party.
   *
   * @param step this client's step counter, echoed by the server
   * @param features row-major batch, shape {@code shape}
   * @param labels one label per sample
   * @return the batch loss
   */
  public float trainStep(long step, float[] features, Shape shape, int[] labels) throws IOException {
    try (NDManager scope = extractor.newScope()) {
      NDArray x = scope.create(features, shape);
      NDArray a;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        a = extractor.forward(x, true);
      }
      FloatTensor activations = Tensors.toTensor(a);
      float loss;
      Gradient dA;
      if (encrypted != null) {
        float[] lossOut = new float[1];
        dA = encryptedExchange(scope, step, activations, labels, lossOut);
        loss = lossOut[0];
      } else if (plan.labelsOnClient()) {
        ServerOutput out = expect(transport.exchange(new Forward(id, step, true, activations, null)),
            ServerOutput.class, step);
        NDArray z = Tensors.toArray(scope, out.output());
        z.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray lossArray = Losses.crossEntropy(classifier.forward(z, true), labels);
          gc.backward(lossArray);
          loss = lossArray.getFloat();
        }
        FloatTensor dZ = Tensors.toTensor(z.getGradient());
        classifier.step();
        dA = expect(transport.exchange(new Gradient(id, step, dZ, Float.NaN)), Gradient.class, step);
      } else {
        dA = expect(transport.exchange(new Forward(id, step, true, activations, labels)),
            Gradient.class, step);
        loss = dA.loss();
      }
      if (!a.getShape().equals(new Shape(dA.gradient().shape()))) {
        throw new ProtocolException("Gradient for client " + id + ": shape "
            + new Shape(dA.gradient().shape()) + " does not match the activations " + a.getShape());
      }
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(a.mul(Tensors.toArray(scope, dA.gradient())).sum());
      }
      extractor.step();
      return loss;
    }
  }

  /**
   * The encrypted cut of a training step: encrypt, let the server evaluate its layer, decrypt,
   * classifier and loss here, then the gradient exchange. Returns the activations' gradient.
   */
  private Gradient encryptedExchange(NDManager scope, long step, FloatTensor a, int[] labels, float[] loss)
      throws IOException {
    int batch = (int) a.shape()[0];
    int features = (int) (a.size() / batch);
    EncryptedOutput out = encryptedForward(step, true, a);
    int outputs = outputs();
    NDArray z = scope.create(encrypted.decrypt(out.ciphertexts(), batch, outputs), new Shape(batch, outputs));
    z.setRequiresGradient(true);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray lossArray = Losses.crossEntropy(classifier.forward(z, true), labels);
      gc.backward(lossArray);
      loss[0] = lossArray.getFloat();
    }
    float[] dz = z.getGradient().toFloatArray();
    classifier.step();
    List<NamedTensor> layerGradient = LinearGradients.layerGradients(dz, a.data(), batch, outputs, features);
    long[] activationShape = a.shape();
    if (encrypted.exchange() == GradientExchange.PER_SAMPLE) {
      FloatTensor dzTensor = new FloatTensor(new long[] {batch, outputs}, dz);
      Gradient g = expect(transport.exchange(new LayerGradient(id, step, layerGradient, dzTensor)),
          Gradient.class, step);
      return new Gradient(id, step, new FloatTensor(activationShape, g.gradient().data()), Float.NaN);
    }
    FloatTensor w = LinearGradients.find(out.layer(), LinearGradients.WEIGHT, "EncryptedOutput");
    if (w.shape().length != 2 || w.shape()[0] != outputs || w.shape()[1] != features) {
      throw new ProtocolException("EncryptedOutput for client " + id + ": layer weight of shape "
          + new Shape(w.shape()) + ", expected (" + outputs + ", " + features + ")");
    }
    expect(transport.exchange(new LayerGradient(id, step, layerGradient, null)), Message.Ack.class, step);
    float[] da = LinearGradients.inputGradient(dz, w.data(), batch, outputs, features);
    return new Gradient(id, step, new FloatTensor(activationShape, da), Float.NaN);
  }

  private EncryptedOutput encryptedForward(long step, boolean training, FloatTensor a) throws IOException {
    if (!encryptionSetUp) {
      expect(transport.exchange(new HeSetup(id, encrypted.parameters())), Message.Ack.class, step);
      encryptionSetUp = true;
    }
    int batch = (int) a.shape()[0];
    List<byte[]> cts = encrypted.encrypt(a.data(), batch, (int) (a.size() / batch));
    return expect(transport.exchange(new EncryptedForward(id, step, training, batch, cts)),
        EncryptedOutput.class, step);
  }

  /** Width of the server part's output (the classifier's input). */
  private int outputs() {
    return (int) plan.model().boundaryShapes().get(plan.to(Role.CLOUD)).size();
  }

  /** Logits of a batch in inference mode, row-major (batch, classes). */
  public float[] predict(long step, float[] features, Shape shape) throws IOException {
    try (NDManager scope = extractor.newScope()) {
      NDArray a = extractor.forward(scope.create(features, shape), false);
      if (encrypted != null) {
        int batch = (int) shape.get(0);
        EncryptedOutput out = encryptedForward(step, false, Tensors.toTensor(a));
        NDArray z = scope.create(encrypted.decrypt(out.ciphertexts(), batch, outputs()),
            new Shape(batch, outputs()));
        return classifier.forward(z, false).toFloatArray();
      }
      ServerOutput out = expect(
          transport.exchange(new Forward(id, step, false, Tensors.toTensor(a), null)),
          ServerOutput.class, step);
      if (!plan.labelsOnClient()) {
        return out.output().data();
      }
      return classifier.forward(Tensors.toArray(scope, out.output()), false).toFloatArray();
    }
  }

  /** Copies of this client's weights (extractor, then classifier), names prefixed by part. */
  public List<NamedTensor> weights() {
    List<NamedTensor> out = new ArrayList<>();
    extractor.weights().forEach(t -> out.add(new NamedTensor(EXTRACTOR + t.name(), t.tensor())));
    if (classifier != null) {
      classifier.weights().forEach(t -> out.add(new NamedTensor(CLASSIFIER + t.name(), t.tensor())));
    }
    return out;
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
        throw new IllegalArgumentException("client " + id + ": unexpected weight tensor " + t.name());
      }
    }
    extractor.loadWeights(ext);
    if (classifier != null) {
      classifier.loadWeights(cls);
    }
  }

  /** Uploads this client's weights for {@code round}, weighted by {@code samples}. */
  public void uploadWeights(long round, long samples) throws IOException {
    expect(transport.exchange(new Weights(id, round, samples, weights())), Message.Ack.class, round);
  }

  /** Replaces this client's weights with the server's relayed weights of {@code round}. */
  public void fetchWeights(long round) throws IOException {
    loadWeights(expect(transport.exchange(new FetchWeights(id, round)), Weights.class, round).tensors());
  }

  private <T extends Message> T expect(Message reply, Class<T> type, long step) {
    if (!type.isInstance(reply)) {
      throw new ProtocolException("client " + id + " step " + step + ": expected "
          + type.getSimpleName() + " from the server, got " + reply.getClass().getSimpleName());
    }
    return type.cast(reply);
  }

  @Override
  public void close() throws IOException {
    extractor.close();
    if (classifier != null) {
      classifier.close();
    }
    transport.close();
  }
}
