package dev.splitlearn.core.client;

import dev.splitlearn.core.protocol.FloatTensor;
import java.io.IOException;

/**
 * What happens past the cut on a client: plaintext ({@link PlaintextExchange}) or encrypted ({@link
 * EncryptedExchange}).
 */
interface CutExchange {
  /** The gradient of the loss with respect to the activations, and the batch loss. */
  record Result(FloatTensor activationGradient, float loss) {}

  /** Sends a training batch's activations and does the client's part of the rest of the step. */
  Result train(long step, FloatTensor activations, int[] labels) throws IOException;

  /** Logits of an inference batch, row-major (batch, classes). */
  float[] predict(long step, FloatTensor activations) throws IOException;

  /** Whether the client announces encryption in the handshake, and with which parameters. */
  String heParameters();
}
