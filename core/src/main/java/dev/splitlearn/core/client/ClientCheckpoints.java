package dev.splitlearn.core.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitlearn.core.party.CheckpointStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Saves a client's parts and counters into a {@link CheckpointStore} whenever a checkpoint is due
 * (after every epoch's barrier), and reads them back to resume. Files, each written atomically by
 * the store: {@code client-ID-extractor.params}, {@code client-ID-classifier.params} (u-shaped)
 * and, last, {@code client-ID-state.json} ({@code epoch}, {@code step}, {@code plan}), so a state
 * file never names parts older than it.
 */
public final class ClientCheckpoints implements ClientListener {
  private final CheckpointStore store;

  /** Checkpoints into {@code store}. */
  public ClientCheckpoints(CheckpointStore store) {
    if (store == null) {
      throw new IllegalArgumentException("checkpoint store must not be null");
    }
    this.store = store;
  }

  /** Where a resumed run starts: after {@code epoch}, with {@code step} training steps done. */
  public record Resume(int epoch, long step) {}

  /** The store. */
  public CheckpointStore store() {
    return store;
  }

  @Override
  public void onCheckpointDue(SplitClient client, int epoch, long step) throws IOException {
    String prefix = prefix(client.id());
    client.extractor().saveTo(store, prefix + "extractor.params");
    if (client.classifier() != null) {
      client.classifier().saveTo(store, prefix + "classifier.params");
    }
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("epoch", epoch);
    state.put("step", step);
    state.put("plan", client.plan().fingerprint());
    store.write(
        prefix + "state.json",
        out -> new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out, state));
  }

  /** Whether the store holds a checkpoint of client {@code clientId}. */
  public boolean exists(int clientId) throws IOException {
    Optional<InputStream> in = store.read(prefix(clientId) + "state.json");
    if (in.isPresent()) {
      in.get().close();
    }
    return in.isPresent();
  }

  /**
   * Loads {@code client}'s parts from the store.
   *
   * @throws IOException naming the file if there is no checkpoint of this client, or it is of
   *     another plan
   */
  public Resume restore(SplitClient client) throws IOException {
    String prefix = prefix(client.id());
    String stateName = prefix + "state.json";
    Map<?, ?> state;
    try (InputStream in =
        store
            .read(stateName)
            .orElseThrow(
                () ->
                    new IOException(
                        store.describe()
                            + "/"
                            + stateName
                            + ": no checkpoint of client "
                            + client.id()
                            + " to resume from"))) {
      state = new ObjectMapper().readValue(in, Map.class);
    }
    if (!client.plan().fingerprint().equals(state.get("plan"))) {
      throw new IOException(
          store.describe()
              + "/"
              + stateName
              + ": checkpoint is of '"
              + state.get("plan")
              + "', this run is '"
              + client.plan().fingerprint()
              + "'");
    }
    client.extractor().loadFrom(store, prefix + "extractor.params");
    if (client.classifier() != null) {
      client.classifier().loadFrom(store, prefix + "classifier.params");
    }
    return new Resume(
        ((Number) state.get("epoch")).intValue(), ((Number) state.get("step")).longValue());
  }

  private static String prefix(int clientId) {
    return "client-" + clientId + "-";
  }
}
