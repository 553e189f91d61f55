package dev.splitlearn.core.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitlearn.core.party.CheckpointStore;
import dev.splitlearn.core.protocol.Message.Welcome;
import dev.splitlearn.core.protocol.Schedule;
import dev.splitlearn.core.train.Batches;
import dev.splitlearn.core.train.Evaluation;
import dev.splitlearn.core.train.Memory;
import dev.splitlearn.core.train.Predictor;
import dev.splitlearn.data.Dataset;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One client's whole run: the handshake, then the server's schedule over this client's own data,
 * epoch after epoch. Sequential: wait for the previous client's weights, train every batch, pass
 * the weights on. Parallel (SplitFed): train batch after batch, upload and fetch the average every
 * {@code syncEvery} steps and at the end of the epoch. Every epoch ends at the server's barrier,
 * after this client's evaluation (if it evaluates) and before its checkpoint. Owns its parts, its
 * data and its checkpoints; runs the same in-process or in its own process.
 */
public final class SplitClientRuntime {
  private final SplitClient client;
  private final Dataset train;
  private final Dataset test;
  private final ClientConfig config;
  private final ClientListener listener;
  private final Batches batches;
  /** The fixed samples the leakage metric is measured on: the first of the client's own, in order. */
  private final Batches probe;
  private long step;

  /** The leakage metric's samples: this many batches of {@link #PROBE_BATCH} (fewer if the data is smaller). */
  private static final int PROBE_BATCHES = 4;
  private static final int PROBE_BATCH = 64;

  /**
   * @param test the data this client evaluates on after every epoch, or null (then {@code config.evaluate()} must be false)
   */
  public SplitClientRuntime(SplitClient client, Dataset train, Dataset test, ClientConfig config,
      ClientListener listener) {
    if (config.evaluate() && test == null) {
      throw new IllegalArgumentException("client " + client.id() + " evaluates but has no test data");
    }
    if (config.batchSize() < client.minBatch() || train.size() < client.minBatch()) {
      throw new IllegalArgumentException("client " + client.id() + ": --batch " + config.batchSize() + " with "
          + train.size() + " training samples, below --he-min-batch " + client.minBatch() + " (a smaller batch-sum "
          + "gradient gives the server single samples; lower --he-min-batch to accept that)");
    }
    this.client = client;
    this.train = train;
    this.test = test;
    this.config = config;
    this.listener = listener;
    this.batches = new Batches(train, config.batchSize(), config.augmentation(), client.minBatch());
    this.probe = new Batches(train, PROBE_BATCH);
    probe.inOrder();
  }

  /** The client. */
  public SplitClient client() {
    return client;
  }

  /** Training steps this client has run (over all epochs, a resumed run's included). */
  public long steps() {
    return step;
  }

  /** Evaluates the client's current model on its test data. */
  public Evaluation evaluate() throws IOException {
    if (test == null) {
      throw new IllegalStateException("client " + client.id() + " has no test data");
    }
    Predictor p = client::predict;
    return p.evaluate(test, Math.max(config.batchSize(), 256));
  }

  /** Training samples of this client. */
  public int trainSamples() {
    return train.size();
  }

  /** Runs every epoch the server asks for; returns this client's figures per epoch. */
  public List<ClientEpoch> run() throws IOException {
    int restoredEpoch = config.resume() ? restore() : 0;
    Welcome w = client.join(config.compression(), batches.count(), train.size());
    if (config.resume() && restoredEpoch > w.firstEpoch() - 1) {
      throw new IOException(config.checkpoints().describe() + ": client " + client.id() + " checkpoint is of epoch "
          + restoredEpoch + ", ahead of the server, which resumes after epoch " + (w.firstEpoch() - 1));
    }
    // after a rejoin the server may start this client later than its checkpoint: it skips ahead
    // with its older weights (in the parallel schedule the next weight exchange brings it level)
    step = (long) (w.firstEpoch() - 1) * batches.count();
    Schedule schedule = Schedule.parse(w.schedule());
    int stepsPerEpoch = schedule == Schedule.PARALLEL ? w.maxBatches() : w.totalBatches();
    client.useOptimizer(config.optimizer().withTotalSteps(stepsPerEpoch * w.epochs()));
    client.useNoPeek(config.noPeek());
    client.useDefenses(config.defenses());
    List<ClientEpoch> out = new ArrayList<>();
    for (int epoch = w.firstEpoch(); epoch <= w.epochs(); epoch++) {
      out.add(epoch(epoch, schedule, w));
    }
    return out;
  }

  private ClientEpoch epoch(int epoch, Schedule schedule, Welcome w) throws IOException {
    long t0 = System.nanoTime();
    long up0 = client.transport().traffic().bytesClientToServer();
    long down0 = client.transport().traffic().bytesServerToClient();
    double[] lossSum = {0};
    long[] sync = {0};
    long steps0 = step;
    int n = w.clients();
    int id = client.id();
    batches.shuffle(config.seed(), epoch, id);
    if (schedule == Schedule.SEQUENTIAL) {
      long turn = (long) (epoch - 1) * n + id;
      if (turn > 0) {
        timed(sync, () -> client.fetchWeights(turn - 1));
      }
      for (int k = 0; k < batches.count(); k++) {
        lossSum[0] += trainOne(epoch, k);
      }
      timed(sync, () -> client.uploadWeights(turn, train.size()));
    } else {
      int rounds = roundsPerEpoch(w.maxBatches(), w.syncEvery());
      long round = (long) (epoch - 1) * rounds;
      for (int k = 0; k < w.maxBatches(); k++) {
        if (k < batches.count()) {
          lossSum[0] += trainOne(epoch, k);
        }
        if (n > 1 && ((k + 1) % w.syncEvery() == 0 || k == w.maxBatches() - 1)) {
          long r = round++;
          timed(sync, () -> {
            client.uploadWeights(r, train.size());
            client.fetchWeights(r);
          });
        }
      }
    }
    double trainSeconds = (System.nanoTime() - t0) / 1e9;
    long up = client.transport().traffic().bytesClientToServer() - up0;
    long down = client.transport().traffic().bytesServerToClient() - down0;
    Evaluation eval = null;
    long e0 = System.nanoTime();
    double leakage = leakage();
    if (config.evaluate()) {
      if (schedule == Schedule.SEQUENTIAL && id != n - 1) {
        client.fetchWeights((long) epoch * n - 1); // the epoch's final weights are the last client's
      }
      eval = evaluate();
    }
    double evalSeconds = (System.nanoTime() - e0) / 1e9;
    client.barrier(epoch);
    if (config.checkpoints() != null) {
      checkpoint(epoch);
    }
    ClientEpoch result = new ClientEpoch(epoch, step - steps0, lossSum[0], trainSeconds, sync[0] / 1e9, eval,
        evalSeconds, up, down, Memory.rssMegabytes(), leakage);
    listener.onEpoch(id, result);
    return result;
  }

  /**
   * Mean dCor(X, A) over the probe's batches (the same samples every epoch, so epochs and runs
   * compare); NaN for a batch of one, where it is undefined.
   */
  private double leakage() {
    double sum = 0;
    int n = 0;
    for (int b = 0; b < Math.min(PROBE_BATCHES, probe.count()); b++) {
      int size = probe.load(b);
      if (size > 1) {
        sum += client.leakage(probe.features(size), probe.shape(size));
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  private float trainOne(int epoch, int k) throws IOException {
    int size = batches.load(k);
    float loss = client.trainStep(step++, batches.features(size), batches.shape(size), batches.labels(size));
    listener.onStep(client.id(), epoch, k + 1, batches.count(), loss);
    return loss;
  }

  /** Weight exchanges per epoch in the parallel schedule. */
  static int roundsPerEpoch(int maxBatches, int syncEvery) {
    int rounds = 0;
    for (int k = 0; k < maxBatches; k++) {
      if ((k + 1) % syncEvery == 0 || k == maxBatches - 1) {
        rounds++;
      }
    }
    return rounds;
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private static void timed(long[] nanos, IoAction action) throws IOException {
    long t0 = System.nanoTime();
    try {
      action.run();
    } finally {
      nanos[0] += System.nanoTime() - t0;
    }
  }

  private String prefix() {
    return "client-" + client.id() + "-";
  }

  /** Whether {@code store} holds a checkpoint of client {@code clientId} to resume from. */
  public static boolean hasCheckpoint(CheckpointStore store, int clientId) throws IOException {
    Optional<InputStream> in = store.read("client-" + clientId + "-state.json");
    if (in.isPresent()) {
      in.get().close();
    }
    return in.isPresent();
  }

  private void checkpoint(int epoch) throws IOException {
    CheckpointStore store = config.checkpoints();
    client.extractor().saveTo(store, prefix() + "extractor.params");
    if (client.classifier() != null) {
      client.classifier().saveTo(store, prefix() + "classifier.params");
    }
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("epoch", epoch);
    state.put("step", step);
    state.put("plan", client.plan().fingerprint());
    store.write(prefix() + "state.json", out -> new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out, state));
  }

  /** Restores this client's parts and step counter; returns the epoch of the checkpoint. */
  private int restore() throws IOException {
    CheckpointStore store = config.checkpoints();
    String stateName = prefix() + "state.json";
    Map<?, ?> state;
    try (InputStream in = store.read(stateName).orElseThrow(() -> new IOException(store.describe() + "/" + stateName
        + ": no checkpoint of client " + client.id() + " to resume from"))) {
      state = new ObjectMapper().readValue(in, Map.class);
    }
    if (!client.plan().fingerprint().equals(state.get("plan"))) {
      throw new IOException(store.describe() + "/" + stateName + ": checkpoint is of '" + state.get("plan")
          + "', this run is '" + client.plan().fingerprint() + "'");
    }
    client.extractor().loadFrom(store, prefix() + "extractor.params");
    if (client.classifier() != null) {
      client.classifier().loadFrom(store, prefix() + "classifier.params");
    }
    step = ((Number) state.get("step")).longValue();
    return ((Number) state.get("epoch")).intValue();
  }
}
