package dev.splitlearn.core.client;

import dev.splitlearn.core.train.Evaluation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Several {@link ClientListener}s heard as one, in the order given: {@code ClientListeners.of( new
 * ClientTiming(), new ClientTraffic(), myLogger)}. Each event goes to every listener before the
 * loop goes on; an exception stops the delivery and ends the run. Dispatch walks an array: no
 * allocation or lock per event.
 */
public final class ClientListeners implements ClientListener {
  private final ClientListener[] all;

  private ClientListeners(ClientListener[] all) {
    this.all = all;
  }

  /**
   * {@code listeners} as one (nested composites are flattened, {@link ClientListener#NONE}
   * dropped).
   *
   * @throws IllegalArgumentException if one is null
   */
  public static ClientListener of(ClientListener... listeners) {
    List<ClientListener> flat = new ArrayList<>();
    for (ClientListener l : listeners) {
      if (l == null) {
        throw new IllegalArgumentException("listener must not be null (use ClientListener.NONE)");
      }
      if (l instanceof ClientListeners c) {
        flat.addAll(List.of(c.all));
      } else if (l != NONE) {
        flat.add(l);
      }
    }
    if (flat.size() <= 1) {
      return flat.isEmpty() ? NONE : flat.get(0);
    }
    return new ClientListeners(flat.toArray(new ClientListener[0]));
  }

  @Override
  public void onEpochStart(int client, int epoch, int steps) {
    for (ClientListener l : all) {
      l.onEpochStart(client, epoch, steps);
    }
  }

  @Override
  public void onStep(ClientStep step) {
    for (ClientListener l : all) {
      l.onStep(step);
    }
  }

  @Override
  public void onWeightExchange(int client, int epoch, long nanos, long bytesUp, long bytesDown) {
    for (ClientListener l : all) {
      l.onWeightExchange(client, epoch, nanos, bytesUp, bytesDown);
    }
  }

  @Override
  public void onTrainingEnd(int client, int epoch) {
    for (ClientListener l : all) {
      l.onTrainingEnd(client, epoch);
    }
  }

  @Override
  public void onEvaluated(
      int client, int epoch, Evaluation evaluation, double distanceCorrelation) {
    for (ClientListener l : all) {
      l.onEvaluated(client, epoch, evaluation, distanceCorrelation);
    }
  }

  @Override
  public void onCheckpointDue(SplitClient client, int epoch, long step) throws IOException {
    for (ClientListener l : all) {
      l.onCheckpointDue(client, epoch, step);
    }
  }

  @Override
  public void onEpochEnd(int client, ClientEpoch epoch) {
    for (ClientListener l : all) {
      l.onEpochEnd(client, epoch);
    }
  }
}
