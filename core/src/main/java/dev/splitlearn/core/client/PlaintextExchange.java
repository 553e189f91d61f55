package dev.splitlearn.core.client;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.splitlearn.core.defense.GradientDp;
import dev.splitlearn.core.kernels.EngineThread;
import dev.splitlearn.core.party.Losses;
import dev.splitlearn.core.party.PartModel;
import dev.splitlearn.core.party.Tensors;
import dev.splitlearn.core.protocol.FloatTensor;
import dev.splitlearn.core.protocol.Message.Forward;
import dev.splitlearn.core.protocol.Message.Gradient;
import dev.splitlearn.core.protocol.Message.ServerOutput;
import dev.splitlearn.core.protocol.Transport;
import java.io.IOException;

/**
 * The plaintext cut: activations go to the server; in U-shaped mode the cloud output comes back,
 * the classifier and the loss run here, and the output's gradient goes back; in vanilla mode the
 * labels go with the activations and the server answers with their gradient and the loss.
 */
final class PlaintextExchange implements CutExchange {
  private final int id;
  private final PartModel classifier;
  private final Transport transport;
  private GradientDp
      gradientDp; // u-shaped: clip and noise the cloud output's gradient before it is sent, or null

  /** {@code classifier} is null in vanilla mode. */
  PlaintextExchange(int id, PartModel classifier, Transport transport) {
    this.id = id;
    this.classifier = classifier;
    this.transport = transport;
  }

  /**
   * Clips and noises the cloud output's gradient this client sends (u-shaped), or stops with null.
   */
  void useGradientDp(GradientDp dp) {
    if (dp != null && classifier == null) {
      throw new IllegalArgumentException(
          "client "
              + id
              + ": in vanilla mode the server applies --grad-dp-clip to "
              + "the gradient it returns");
    }
    this.gradientDp = dp;
  }

  @Override
  public Result train(long step, FloatTensor activations, int[] labels) throws IOException {
    if (classifier == null) {
      Gradient g =
          Replies.expect(
              transport.exchange(new Forward(id, step, true, activations, labels)),
              Gradient.class,
              id,
              step);
      return new Result(g.gradient(), g.loss());
    }
    ServerOutput out =
        Replies.expect(
            transport.exchange(new Forward(id, step, true, activations, null)),
            ServerOutput.class,
            id,
            step);
    float[] loss = new float[1];
    // the scope stays open until the gradient is sent: dz is a view of its memory, not a copy;
    // in process, z is a view of the server's memory, valid only until then too
    try (NDManager scope = classifier.newScope()) {
      FloatTensor dz =
          EngineThread.call(
              () -> {
                NDArray z = Tensors.toArray(scope, out.output());
                z.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                  NDArray lossArray = Losses.crossEntropy(classifier.forward(z, true), labels);
                  gc.backward(lossArray);
                  loss[0] = lossArray.getFloat();
                }
                FloatTensor grad =
                    Tensors.view(
                        gradientDp == null
                            ? z.getGradient()
                            : gradientDp.apply(z.getGradient(), id, step));
                classifier.step();
                return grad;
              });
      Gradient dA =
          Replies.expect(
              transport.exchange(new Gradient(id, step, dz, Float.NaN)), Gradient.class, id, step);
      return new Result(dA.gradient(), loss[0]);
    }
  }

  @Override
  public float[] predict(long step, FloatTensor activations) throws IOException {
    ServerOutput out =
        Replies.expect(
            transport.exchange(new Forward(id, step, false, activations, null)),
            ServerOutput.class,
            id,
            step);
    if (classifier == null) {
      return out.output().data();
    }
    return EngineThread.call(
        () -> {
          try (NDManager scope = classifier.newScope()) {
            return classifier.forward(Tensors.toArray(scope, out.output()), false).toFloatArray();
          }
        });
  }

  @Override
  public String heParameters() {
    return "";
  }
}
