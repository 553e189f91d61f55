package dev.splitlearn.core.protocol;

import java.util.List;

/**
 * The messages of the split protocol. Every message names the client it concerns and the step
 * (global batch counter of that client) it belongs to; the codec ({@link MessageCodec}) puts a
 * version byte in front of each.
 *
 * <p>A training step in U-shaped mode: client {@link Forward} (activations) → server {@link
 * ServerOutput} (cloud output) → client {@link Gradient} (of the cloud output) → server {@link
 * Gradient} (of the activations). In vanilla mode: client {@link Forward} with labels → server
 * {@link Gradient} with the loss. Client-side weights travel in {@link Weights}.
 *
 * <p>Encrypted (CKKS) U-shaped step: client {@link HeSetup} once, then per step client {@link
 * EncryptedForward} → server {@link EncryptedOutput} → client {@link LayerGradient} → server {@link
 * Ack} (aggregate exchange) or {@link Gradient} of the activations (per-sample exchange).
 * Ciphertexts travel as opaque byte strings in the {@code he} module's wire format, which the
 * receiving party parses and validates.
 *
 * <p>A session starts with the client's {@link Hello} and the server's {@link Welcome}; every later
 * message must name the client the session was opened for. The server answers a request it cannot
 * serve with an {@link ErrorReply} (a code and a one-line reason), whatever the transport.
 * Schedules synchronise at {@link Barrier}s.
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

  /**
   * The cloud model's output: features for the client classifier, or logits in vanilla evaluation.
   */
  record ServerOutput(int clientId, long step, FloatTensor output) implements Message {}

  /**
   * A gradient crossing the cut: client to server, of the cloud output (U-shaped); server to
   * client, of the activations. {@code loss} is the batch loss when the sender computed one, NaN
   * otherwise.
   */
  record Gradient(int clientId, long step, FloatTensor gradient, float loss) implements Message {}

  /** Client-side weights, uploaded for the next client (sequential) or for averaging (parallel). */
  record Weights(int clientId, long round, long samples, List<NamedTensor> tensors)
      implements Message {
    public Weights {
      tensors = List.copyOf(tensors);
    }
  }

  /** Asks the server for the client-side weights to start a round with. */
  record FetchWeights(int clientId, long round) implements Message {}

  /** Acknowledges a message that needs no other answer. */
  record Ack(int clientId) implements Message {}

  /**
   * Starts encrypted training or inference for a client: its CKKS parameters (an {@code he} {@code
   * ParametersLiteral} in wire format). The server holds no key; it only needs the parameters.
   */
  record HeSetup(int clientId, byte[] parameters) implements Message {
    public HeSetup {
      parameters = parameters.clone();
    }
  }

  /** A batch of activations as CKKS ciphertexts, packed for the server's linear layer. */
  record EncryptedForward(
      int clientId, long step, boolean training, int batch, List<byte[]> ciphertexts)
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
  record LayerGradient(
      int clientId, long step, List<NamedTensor> gradients, FloatTensor outputGradient)
      implements Message {
    public LayerGradient {
      gradients = List.copyOf(gradients);
    }
  }

  /**
   * Opens a session: who the client is and what it will run, so that a mismatch is refused before
   * any training.
   *
   * @param protocolVersion the client's {@link MessageCodec#VERSION}
   * @param planFingerprint {@code SplitPlan.fingerprint()} of the client's model, protocol and cuts
   * @param compression how the client encodes the tensors it sends across the cut
   * @param heParameters the encryption parameter set name, or empty for plaintext
   * @param trainBatches the client's training batches per epoch (the server plans rounds with them)
   * @param trainSamples the client's training samples (weights of the averages)
   * @param activations how the client lays out the activations it sends (dense, sparse, packed)
   */
  record Hello(
      int clientId,
      int protocolVersion,
      String planFingerprint,
      Compression compression,
      String heParameters,
      int trainBatches,
      long trainSamples,
      ActivationEncoding activations)
      implements Message {
    public Hello {
      if (trainBatches < 1 || trainSamples < 1) {
        throw new IllegalArgumentException(
            "Hello: trainBatches and trainSamples must be >= 1, got "
                + trainBatches
                + " and "
                + trainSamples);
      }
      if (activations == null) {
        throw new IllegalArgumentException(
            "Hello: activations must not be null (use ActivationEncoding.DENSE)");
      }
    }

    /** A Hello of a client that sends its activations dense. */
    public Hello(
        int clientId,
        int protocolVersion,
        String planFingerprint,
        Compression compression,
        String heParameters,
        int trainBatches,
        long trainSamples) {
      this(
          clientId,
          protocolVersion,
          planFingerprint,
          compression,
          heParameters,
          trainBatches,
          trainSamples,
          ActivationEncoding.DENSE);
    }
  }

  /**
   * Accepts a session, once every client of the run has said hello, with the schedule all follow.
   *
   * @param sessionId a random id of this session (for logs; the transport binds the session)
   * @param clients number of clients in the run
   * @param schedule {@code sequential} or {@code parallel}
   * @param epochs epochs to train
   * @param syncEvery parallel schedule: steps between weight averages
   * @param maxBatches the largest number of batches per epoch among the clients (parallel rounds)
   * @param totalBatches the batches per epoch of all clients together (sequential learning-rate
   *     schedules)
   * @param firstEpoch the epoch to start at (after 1 when the server resumed from a checkpoint)
   */
  record Welcome(
      int clientId,
      long sessionId,
      int clients,
      String schedule,
      int epochs,
      int syncEvery,
      int maxBatches,
      int totalBatches,
      int firstEpoch)
      implements Message {}

  /** Waits until every client has reached the end of {@code epoch} (training and evaluation). */
  record Barrier(int clientId, int epoch) implements Message {}

  /**
   * The server's refusal of a request: a code (as gRPC's status codes) and a one-line reason that
   * names the message and the field at fault.
   */
  record ErrorReply(int clientId, ErrorCode code, String text) implements Message {}

  /** A tensor with a name, e.g. a parameter of the client-side model. */
  record NamedTensor(String name, FloatTensor tensor) {}
}
