package dev.splitlearn.core.server;

import java.util.Collection;
import java.util.Optional;

/**
 * The open sessions of a server, by client id. One in-memory implementation: {@link
 * InMemorySessionStore}.
 */
public interface SessionStore {
  /**
   * Adds {@code session}.
   *
   * @throws dev.splitlearn.core.protocol.ProtocolException if its client already has an open
   *     session
   */
  void add(Session session);

  /** The open session of {@code clientId}. */
  Optional<Session> byClient(int clientId);

  /** Removes {@code session} (it closed). */
  void remove(Session session);

  /** Every open session. */
  Collection<Session> all();
}
