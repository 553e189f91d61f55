package dev.splitlearn.core.client;

/** Progress of one client's run (called on the client's thread). */
public interface ClientListener {
  /** After each training step; {@code done} of {@code total} steps of this client's epoch. */
  default void onStep(int client, int epoch, long done, long total, float loss) {}

  /** After each epoch, past the barrier. */
  default void onEpoch(int client, ClientEpoch epoch) {}

  /** A listener that does nothing. */
  ClientListener NONE = new ClientListener() {};
}
