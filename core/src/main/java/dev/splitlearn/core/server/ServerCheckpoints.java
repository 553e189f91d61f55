package dev.splitlearn.core.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitlearn.core.party.CheckpointStore;
import dev.splitlearn.core.party.PartModel;
import dev.splitlearn.core.protocol.Message;
import dev.splitlearn.core.protocol.Message.Weights;
import dev.splitlearn.core.protocol.MessageCodec;
import dev.splitlearn.models.SplitPlan;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves the server's state into a {@link CheckpointStore} at every epoch's barrier, and reads it
 * back to resume. Files, each written atomically by the store: {@code server-cloud.params}, {@code
 * server-relay.bin} (the newest client-side weights, as the codec encodes a Weights message, when
 * there are any) and, last, {@code server-state.json} ({@code epoch}, {@code plan}).
 */
public final class ServerCheckpoints implements ServerListener {
  private static final Logger LOG = LoggerFactory.getLogger(ServerCheckpoints.class);
  private static final String CLOUD_FILE = "server-cloud.params";
  private static final String STATE_FILE = "server-state.json";
  private static final String RELAY_FILE = "server-relay.bin";

  private final CheckpointStore store;
  private final MessageCodec codec = new MessageCodec();

  /** Checkpoints into {@code store}. */
  public ServerCheckpoints(CheckpointStore store) {
    if (store == null) {
      throw new IllegalArgumentException("checkpoint store must not be null");
    }
    this.store = store;
  }

  @Override
  public void checkpointDue(ServerCheckpoint c) throws IOException {
    try {
      c.cloud().saveTo(store, CLOUD_FILE);
      Optional<Weights> relay = c.weights().latest();
      if (relay.isPresent()) {
        byte[] bytes = codec.encode(relay.get());
        store.write(RELAY_FILE, out -> out.write(bytes));
      }
      Map<String, Object> state = new LinkedHashMap<>();
      state.put("epoch", c.epoch());
      state.put("plan", c.plan().fingerprint());
      store.write(
          STATE_FILE,
          out -> new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out, state));
    } catch (IOException e) {
      throw new IOException("to " + store.describe() + ": " + e.getMessage(), e);
    }
    LOG.info("epoch {} checkpointed in {}", c.epoch(), store.describe());
  }

  /**
   * Loads the cloud model and the relay of client-side weights.
   *
   * @return the epoch of the checkpoint (the run goes on after it)
   * @throws IOException naming the file if there is no checkpoint, it is of another plan, or the
   *     relay is not weights
   */
  public int restore(SplitPlan plan, PartModel cloud, WeightStore weights) throws IOException {
    Map<?, ?> state;
    try (InputStream in =
        store
            .read(STATE_FILE)
            .orElseThrow(
                () ->
                    new IOException(
                        store.describe()
                            + "/"
                            + STATE_FILE
                            + ": no server checkpoint to resume from"))) {
      state = new ObjectMapper().readValue(in, Map.class);
    }
    if (!plan.fingerprint().equals(state.get("plan"))) {
      throw new IOException(
          store.describe()
              + "/"
              + STATE_FILE
              + ": checkpoint is of '"
              + state.get("plan")
              + "', this run is '"
              + plan.fingerprint()
              + "'");
    }
    cloud.loadFrom(store, CLOUD_FILE);
    Optional<InputStream> relay = store.read(RELAY_FILE);
    if (relay.isPresent()) {
      try (InputStream in = relay.get()) {
        Message m = codec.decode(in.readAllBytes());
        if (!(m instanceof Weights w)) {
          throw new IOException(store.describe() + "/" + RELAY_FILE + ": not a weights record");
        }
        weights.restore(w);
      }
    }
    return ((Number) state.get("epoch")).intValue();
  }
}
