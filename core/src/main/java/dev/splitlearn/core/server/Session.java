package dev.splitlearn.core.server;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.splitlearn.core.encrypted.EncryptedLinear;
import dev.splitlearn.core.protocol.Message.Hello;
import java.util.concurrent.Semaphore;

/**
 * One client's session on the server: who it is (bound at the handshake: later messages must name
 * the same client), what it announced, and the state of its step in flight.
 */
public final class Session {
  private final long id;
  private final Hello hello;
  PendingStep pending;
  // the step memory that the reply being prepared views (its gradient), freed once it is encoded
  private NDManager replyMemory;
  EncryptedLinear encrypted;
  long pendingEncryptedStep = -1;
  long steps;

  /**
   * The graph of a plaintext step between its forward and backward pass, in its own memory scope,
   * holding the cloud model's step permit ({@code permit}) until it ends.
   */
  record PendingStep(long step, NDManager scope, NDArray input, NDArray output, Semaphore permit) {
    /** Frees the graph and gives the permit back. */
    void end() {
      try {
        scope.close();
      } finally {
        permit.release();
      }
    }
  }

  Session(long id, Hello hello) {
    this.id = id;
    this.hello = hello;
  }

  /** The random session id. */
  public long id() {
    return id;
  }

  /** The client this session is bound to. */
  public int clientId() {
    return hello.clientId();
  }

  /** What the client announced. */
  public Hello hello() {
    return hello;
  }

  /** Training steps completed. */
  public synchronized long steps() {
    return steps;
  }

  /**
   * Keeps {@code scope} open until the reply now being prepared has been encoded ({@link
   * #replyEncoded}): the reply's tensors are views of its memory, not copies.
   */
  synchronized void keepUntilReplyEncoded(NDManager scope) {
    if (replyMemory != null) {
      replyMemory.close();
    }
    replyMemory = scope;
  }

  /**
   * The reply is encoded (or failed to be): frees the memory it viewed. Only the connection that
   * encodes replies calls this, so memory is never freed under an encoding.
   */
  synchronized void replyEncoded() {
    if (replyMemory != null) {
      replyMemory.close();
      replyMemory = null;
    }
  }

  /** Frees the step in flight, if any. */
  synchronized void dropPending() {
    if (pending != null) {
      pending.end();
      pending = null;
    }
    pendingEncryptedStep = -1;
  }
}
