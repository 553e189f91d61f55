package dev.splitlearn.core.protocol;

/** A message that is well-formed but not valid here: wrong order, wrong shape, unknown client. */
public final class ProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message says which message and what was expected. */
  public ProtocolException(String message) {
    super(message);
  }
}
