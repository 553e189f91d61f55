package dev.splitlearn.core.party;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.splitlearn.core.protocol.FloatTensor;
import dev.splitlearn.core.protocol.Message;
import dev.splitlearn.core.protocol.Message.FetchWeights;
import dev.splitlearn.core.protocol.Message.Forward;
import dev.splitlearn.core.protocol.Message.Gradient;
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

  /** Creates client {@code id}'s parts of {@code plan}, initialised from {@code seed}. */
  public SplitClient(int id, SplitPlan plan, long seed, OptimizerSpec optimizer, Transport transport) {
    this.id = id;
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
      if (plan.labelsOnClient()) {
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

  /** Logits of a batch in inference mode, row-major (batch, classes). */
  public float[] predict(long step, float[] features, Shape shape) throws IOException {
    try (NDManager scope = extractor.newScope()) {
      NDArray a = extractor.forward(scope.create(features, shape), false);
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
