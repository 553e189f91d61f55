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
  // the memory that the reply being prepared views, and that the last reply made views (in process,
  // the client reads it where it is), each freed once the next reply is made
  private NDManager replyMemory;
  private NDManager lastReplyMemory;
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
   * Keeps {@code scope} open while the reply now being prepared is valid, until the next reply is
   * made ({@link #replyMade}): the reply's tensors are views of its memory, not copies.
   */
  synchronized void keepForReply(NDManager scope) {
    if (replyMemory != null) {
      replyMemory.close();
    }
    replyMemory = scope;
  }

  /**
   * The reply is made (or failed to be): frees the memory the reply before it viewed. Only the
   * connection that makes replies calls this, so memory is never freed under an encoding.
   */
  synchronized void replyMade() {
    if (lastReplyMemory != null) {
      lastReplyMemory.close();
    }
    lastReplyMemory = replyMemory;
    replyMemory = null;
  }

  /** The connection closed: frees the memory replies viewed. */
  synchronized void freeReplies() {
    replyMade();
    replyMade();
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
