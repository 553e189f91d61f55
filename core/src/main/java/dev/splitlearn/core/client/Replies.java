package dev.splitlearn.core.client;

import dev.splitlearn.core.protocol.ErrorCode;
import dev.splitlearn.core.protocol.Message;
import dev.splitlearn.core.protocol.ProtocolException;

/** Checks that the server answered with the message type the protocol expects. */
final class Replies {
  private Replies() {}

  static <T extends Message> T expect(Message reply, Class<T> type, int client, long step) {
    if (!type.isInstance(reply)) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT,
          "client "
              + client
              + " step "
              + step
              + ": expected "
              + type.getSimpleName()
              + " from the server, got "
              + reply.getClass().getSimpleName());
    }
    return type.cast(reply);
  }
}
