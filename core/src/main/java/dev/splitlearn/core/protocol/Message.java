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
 *
 * <p>Encrypted (CKKS) U-shaped step: client {@link HeSetup} once, then per step client
 * {@link EncryptedForward} → server {@link EncryptedOutput} → client {@link LayerGradient} → server
 * {@link Ack} (aggregate exchange) or {@link Gradient} of the activations (per-sample exchange).
 * Ciphertexts travel as opaque byte strings in the {@code he} module's wire format, which the
 * receiving party parses and validates.
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

  /**
   * Starts encrypted training or inference for a client: its CKKS parameters (an {@code he}
   * {@code ParametersLiteral} in wire format). The server holds no key; it only needs the parameters.
   */
  record HeSetup(int clientId, byte[] parameters) implements Message {
    public HeSetup {
      parameters = parameters.clone();
    }
  }

  /** A batch of activations as CKKS ciphertexts, packed for the server's linear layer. */
  record EncryptedForward(int clientId, long step, boolean training, int batch, List<byte[]> ciphertexts)
      implements Message {
    public EncryptedForward {
      if (batch < 1) {
        throw new IllegalArgumentException("EncryptedForward: batch " + batch + " < 1");
      }
      ciphertexts = List.copyOf(ciphertexts);
    }
  }

  /**
   * The server layer's output as CKKS ciphertexts. In a training step with the aggregate gradient
   * exchange it also carries the layer's current parameters, which the client needs to
   * back-propagate without sending per-sample gradients; otherwise {@code layer} is empty.
   */
  record EncryptedOutput(int clientId, long step, List<byte[]> ciphertexts, List<NamedTensor> layer)
      implements Message {
    public EncryptedOutput {
      ciphertexts = List.copyOf(ciphertexts);
      layer = List.copyOf(layer);
    }
  }

  /**
   * Gradients of the server layer's parameters summed over the client's batch, computed by the
   * client, which alone sees the decrypted outputs and the labels. In the per-sample exchange
   * (Split Ways' protocol, for comparison) {@code outputGradient} holds the per-sample gradient of
   * the layer output, and the server answers with the activations' gradient; otherwise it is null
   * and the server answers {@link Ack}.
   */
  record LayerGradient(int clientId, long step, List<NamedTensor> gradients, FloatTensor outputGradient)
      implements Message {
    public LayerGradient {
      gradients = List.copyOf(gradients);
    }
  }

  /** A tensor with a name, e.g. a parameter of the client-side model. */
  record NamedTensor(String name, FloatTensor tensor) {}
}
