package dev.splitlearn.core.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Several {@link ServerListener}s heard as one, in the order given. Immutable (add by composing a
 * new one); dispatch walks an array: no allocation or lock per event.
 */
public final class ServerListeners implements ServerListener {
  private final ServerListener[] all;

  private ServerListeners(ServerListener[] all) {
    this.all = all;
  }

  /**
   * {@code listeners} as one (nested composites are flattened, {@link ServerListener#NONE}
   * dropped).
   *
   * @throws IllegalArgumentException if one is null
   */
  public static ServerListener of(ServerListener... listeners) {
    List<ServerListener> flat = new ArrayList<>();
    for (ServerListener l : listeners) {
      if (l == null) {
        throw new IllegalArgumentException("listener must not be null (use ServerListener.NONE)");
      }
      if (l instanceof ServerListeners c) {
        flat.addAll(List.of(c.all));
      } else if (l != NONE) {
        flat.add(l);
      }
    }
    if (flat.size() <= 1) {
      return flat.isEmpty() ? NONE : flat.get(0);
    }
    return new ServerListeners(flat.toArray(new ServerListener[0]));
  }

  @Override
  public void sessionOpened(int clientId) {
    for (ServerListener l : all) {
      l.sessionOpened(clientId);
    }
  }

  @Override
  public void sessionClosed(int clientId, long steps) {
    for (ServerListener l : all) {
      l.sessionClosed(clientId, steps);
    }
  }

  @Override
  public void stepDone(int clientId, long computeNanos) {
    for (ServerListener l : all) {
      l.stepDone(clientId, computeNanos);
    }
  }

  @Override
  public void requestDone(int clientId, long bytesIn, long bytesOut, long busyNanos) {
    for (ServerListener l : all) {
      l.requestDone(clientId, bytesIn, bytesOut, busyNanos);
    }
  }

  @Override
  public void checkpointDue(ServerCheckpoint checkpoint) throws IOException {
    for (ServerListener l : all) {
      l.checkpointDue(checkpoint);
    }
  }

  @Override
  public void epochEnd(int epoch, int epochs) {
    for (ServerListener l : all) {
      l.epochEnd(epoch, epochs);
    }
  }
}
