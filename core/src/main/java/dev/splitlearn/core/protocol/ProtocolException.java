package dev.splitlearn.core.protocol;

/**
 * A message that is well-formed but not valid here: wrong order, wrong shape, unknown client. The
 * server answers it with an {@link Message.ErrorReply} of {@link #code()}; a client that receives
 * such an answer throws a {@link RemoteException}.
 */
public class ProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  /** Creates the exception; the message says which message and what was expected. */
  public ProtocolException(String message) {
    this(ErrorCode.FAILED_PRECONDITION, message);
  }

  /** Creates the exception with the code the server answers. */
  public ProtocolException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  /** The error code sent on the wire. */
  public ErrorCode code() {
    return code;
  }
}
