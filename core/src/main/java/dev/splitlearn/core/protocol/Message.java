package dev.splitlearn.core.protocol;

import java.util.List;

/**
 * The messages of the split protocol. Every message names the client it concerns and the step
 * (global batch counter of that client) it belongs to; the codec ({@link MessageCodec}) puts a
 * version byte in front of each.
 *
 * <p>A training step in U-shaped mode: client {@link Forward} (activations) → server
 * {@link ServerOutput} (cloud output) → client {@link Gradient} (of the cloud output) → server
 * {@link Gradient} (of the activations). In vanilla mode: client {@link Forward} with labels →
 * server {@link Gradient} with the loss. Client-side weights travel in {@link Weights}.
 */
public sealed interface Message {
  /** The client this message concerns. */
  int clientId();

  /** Client-side activations (the extractor output) for the server's cloud model. */
  record Forward(int clientId, long step, boolean training, FloatTensor activations, int[] labels)
      implements Message {
    /** Labels are sent in vanilla mode only; an empty array means none. */
    public Forward {
      labels = labels == null ? new int[0] : labels;
      if (labels.length != 0 && labels.length != activations.batch()) {
        throw new IllegalArgumentException(
            "Forward: " + labels.length + " labels for a batch of " + activations.batch());
      }
    }
  }

  /** The cloud model's output: features for the client classifier, or logits in vanilla evaluation. */
  record ServerOutput(int clientId, long step, FloatTensor output) implements Message {}

  /**
   * A gradient crossing the cut: client to server, of the cloud output (U-shaped); server to
   * client, of the activations. {@code loss} is the batch loss when the sender computed one, NaN
   * otherwise.
   */
  record Gradient(int clientId, long step, FloatTensor gradient, float loss) implements Message {}

  /** Client-side weights, uploaded for the next client (sequential) or for averaging (parallel). */
  record Weights(int clientId, long round, long samples, List<NamedTensor> tensors) implements Message {
    public Weights {
      tensors = List.copyOf(tensors);
    }
  }

  /** Asks the server for the client-side weights to start a round with. */
  record FetchWeights(int clientId, long round) implements Message {}

  /** Acknowledges a message that needs no other answer. */
  record Ack(int clientId) implements Message {}

  /** A tensor with a name, e.g. a parameter of the client-side model. */
  record NamedTensor(String name, FloatTensor tensor) {}
}
