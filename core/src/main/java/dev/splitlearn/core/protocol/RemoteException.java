package dev.splitlearn.core.protocol;

/** The server refused a request: thrown on the client for an {@link Message.ErrorReply} reply. */
public final class RemoteException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception from the server's answer. */
  public RemoteException(ErrorCode code, String text) {
    super(code, "server refused: " + text + " (" + code + ")");
  }
}
