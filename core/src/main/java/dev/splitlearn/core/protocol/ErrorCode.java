package dev.splitlearn.core.protocol;

/**
 * Why a request failed, carried in {@link Message.ErrorReply}. The names and meanings are gRPC's
 * status codes, so the gRPC transport maps them one to one.
 */
public enum ErrorCode {
  /** The request is malformed or its values are invalid (shape, NaN, unknown type). */
  INVALID_ARGUMENT(1),
  /** The request is valid but not now: no handshake, no pending step, wrong round. */
  FAILED_PRECONDITION(2),
  /** The handshake does not match the server: protocol version, plan, parameters. */
  ABORTED(3),
  /** The caller may not do this: another client's session. */
  PERMISSION_DENIED(4),
  /** The caller is not who it claims (token). */
  UNAUTHENTICATED(5),
  /** A size or count limit was hit. */
  RESOURCE_EXHAUSTED(6),
  /** A wait (barrier, turn) ran out of time. */
  DEADLINE_EXCEEDED(7),
  /** The server is shutting down or a peer dropped out. */
  UNAVAILABLE(8),
  /** A bug or a machine failure on the server. */
  INTERNAL(9);

  private final int wire;

  ErrorCode(int wire) {
    this.wire = wire;
  }

  /** The code's byte on the wire. */
  public int wire() {
    return wire;
  }

  /**
   * The code of a wire byte.
   *
   * @throws IllegalArgumentException for an unknown byte
   */
  public static ErrorCode ofWire(int wire) {
    for (ErrorCode c : values()) {
      if (c.wire == wire) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown error code " + wire);
  }
}
