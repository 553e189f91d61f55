package dev.splitlearn.core.server;

import dev.splitlearn.core.protocol.ErrorCode;
import dev.splitlearn.core.protocol.ProtocolException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Sessions in this process's memory. Thread-safe. */
public final class InMemorySessionStore implements SessionStore {
  private final ConcurrentMap<Integer, Session> byClient = new ConcurrentHashMap<>();

  @Override
  public void add(Session session) {
    Session old = byClient.putIfAbsent(session.clientId(), session);
    if (old != null) {
      throw new ProtocolException(
          ErrorCode.PERMISSION_DENIED,
          "Hello from client " + session.clientId() + ": that client already has an open session");
    }
  }

  @Override
  public Optional<Session> byClient(int clientId) {
    return Optional.ofNullable(byClient.get(clientId));
  }

  @Override
  public void remove(Session session) {
    byClient.remove(session.clientId(), session);
  }

  @Override
  public Collection<Session> all() {
    return List.copyOf(byClient.values());
  }
}
