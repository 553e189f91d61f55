package dev.splitlearn.core.client;

import dev.splitlearn.core.kernels.EngineThread;
import dev.splitlearn.core.party.CheckpointStore;
import dev.splitlearn.core.protocol.Message.Welcome;
import dev.splitlearn.core.protocol.Schedule;
import dev.splitlearn.core.protocol.Traffic;
import dev.splitlearn.core.train.Batches;
import dev.splitlearn.core.train.Evaluation;
import dev.splitlearn.core.train.Memory;
import dev.splitlearn.core.train.Predictor;
import dev.splitlearn.data.Dataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One client's whole run: the handshake, then the server's schedule over this client's own data,
 * epoch after epoch. Sequential: wait for the previous client's weights, train every batch, pass
 * the weights on. Parallel (SplitFed): train batch after batch, upload and fetch the average every
 * {@code syncEvery} steps and at the end of the epoch (never with {@code syncEvery} 0: the parts of
 * a client of a multi-task run are its own). Every epoch ends at the server's barrier, after this
 * client's evaluation (if it evaluates) and before its checkpoint. Owns its parts, its data and its
 * checkpoints; runs the same in-process or in its own process.
 *
 * <p>The loop only trains and fires events ({@link ClientListener}); timing, traffic and
 * checkpoints are listeners: a {@link ClientTiming} and a {@link ClientTraffic} of its own, whose
 * figures make each {@link ClientEpoch}, a {@link ClientCheckpoints} when the config names a store,
 * then the listener given (compose several with {@link ClientListeners#of}).
 */
public final class SplitClientRuntime {
  private final SplitClient client;
  private final Dataset train;
  private final Dataset test;
  private final ClientConfig config;
  private final ClientTiming timing = new ClientTiming();
  private final ClientTraffic traffic = new ClientTraffic();
  private final ClientCheckpoints checkpoints;
  private final ClientListener listener;
  private final ClientStep stepEvent = new ClientStep();
  private final Batches batches;

  /**
   * The fixed samples the leakage metric is measured on: the first of the client's own, in order.
   */
  private final Batches probe;

  private long step;
  private boolean stepsOnEngineThread;

  /**
   * The leakage metric's samples: this many batches of {@link #PROBE_BATCH} (fewer if the data is
   * smaller).
   */
  private static final int PROBE_BATCHES = 4;

  private static final int PROBE_BATCH = 64;

  /**
   * @param test the data this client evaluates on after every epoch, or null (then {@code
   *     config.evaluate()} must be false)
   * @param listener hears the run's events after the runtime's own timing, traffic and checkpoint
   *     listeners ({@link ClientListener#NONE} for none; {@link ClientListeners#of} for several)
   */
  public SplitClientRuntime(
      SplitClient client,
      Dataset train,
      Dataset test,
      ClientConfig config,
      ClientListener listener) {
    if (config.evaluate() && test == null) {
      throw new IllegalArgumentException(
          "client " + client.id() + " evaluates but has no test data");
    }
    if (config.batchSize() < client.minBatch() || train.size() < client.minBatch()) {
      throw new IllegalArgumentException(
          "client "
              + client.id()
              + ": --batch "
              + config.batchSize()
              + " with "
              + train.size()
              + " training samples, below --he-min-batch "
              + client.minBatch()
              + " (a smaller batch-sum "
              + "gradient gives the server single samples; lower --he-min-batch to accept that)");
    }
    this.client = client;
    this.train = train;
    this.test = test;
    this.config = config;
    this.checkpoints =
        config.checkpoints() == null ? null : new ClientCheckpoints(config.checkpoints());
    this.listener =
        checkpoints == null
            ? ClientListeners.of(timing, traffic, listener)
            : ClientListeners.of(timing, traffic, checkpoints, listener);
    this.batches = new Batches(train, config.batchSize(), config.augmentation(), client.minBatch());
    this.probe = new Batches(train, PROBE_BATCH);
    probe.inOrder();
  }

  /**
   * Runs each training step whole on the engine thread, its server's part included, instead of
   * handing each compute phase to it (five hand-overs a U-shaped step, each a wake-up of one thread
   * and then of the other). Only for a client that nothing else in the JVM waits on during a step:
   * the one client of an in-process run, whose server answers on the client's thread and never
   * waits for another party there. With a second client the server would wait for it on the engine
   * thread, which that client needs.
   */
  public void runStepsOnEngineThread() {
    stepsOnEngineThread = true;
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
    int restoredEpoch = 0;
    if (config.resume()) {
      ClientCheckpoints.Resume r = checkpoints.restore(client);
      restoredEpoch = r.epoch();
      step = r.step();
    }
    Welcome w =
        client.join(
            config.compression(),
            config.defenses().activationEncoding(),
            batches.count(),
            train.size());
    if (config.resume() && restoredEpoch > w.firstEpoch() - 1) {
      throw new IOException(
          config.checkpoints().describe()
              + ": client "
              + client.id()
              + " checkpoint is of epoch "
              + restoredEpoch
              + ", ahead of the server, which resumes after epoch "
              + (w.firstEpoch() - 1));
    }
    // after a rejoin the server may start this client later than its checkpoint: it skips ahead
    // with its older weights (in the parallel schedule the next weight exchange brings it level)
    step = (long) (w.firstEpoch() - 1) * batches.count();
    Schedule schedule = Schedule.parse(w.schedule());
    // without weight exchanges (sync-every 0: clients of different tasks) a client's parts take
    // only its own steps
    int stepsPerEpoch =
        schedule == Schedule.PARALLEL
            ? (w.syncEvery() == 0 ? batches.count() : w.maxBatches())
            : w.totalBatches();
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
    int id = client.id();
    listener.onEpochStart(id, epoch, batches.count());
    double lossSum = 0;
    long steps0 = step;
    int n = w.clients();
    batches.shuffle(config.seed(), epoch, id);
    if (schedule == Schedule.SEQUENTIAL) {
      long turn = (long) (epoch - 1) * n + id;
      if (turn > 0) {
        exchange(epoch, () -> client.fetchWeights(turn - 1));
      }
      for (int k = 0; k < batches.count(); k++) {
        lossSum += trainOne(epoch, k);
      }
      exchange(epoch, () -> client.uploadWeights(turn, train.size()));
    } else {
      int rounds = roundsPerEpoch(w.maxBatches(), w.syncEvery());
      long round = (long) (epoch - 1) * rounds;
      for (int k = 0; k < w.maxBatches(); k++) {
        if (k < batches.count()) {
          lossSum += trainOne(epoch, k);
        }
        if (n > 1
            && w.syncEvery() > 0
            && ((k + 1) % w.syncEvery() == 0 || k == w.maxBatches() - 1)) {
          long r = round++;
          exchange(
              epoch,
              () -> {
                client.uploadWeights(r, train.size());
                client.fetchWeights(r);
              });
        }
      }
    }
    listener.onTrainingEnd(id, epoch);
    Evaluation eval = null;
    double leakage = leakage();
    if (config.evaluate()) {
      if (schedule == Schedule.SEQUENTIAL && id != n - 1) {
        client.fetchWeights(
            (long) epoch * n - 1); // the epoch's final weights are the last client's
      }
      eval = evaluate();
    }
    listener.onEvaluated(id, epoch, eval, leakage);
    client.barrier(epoch);
    listener.onCheckpointDue(client, epoch, step);
    ClientEpoch result =
        new ClientEpoch(
            epoch,
            step - steps0,
            lossSum,
            timing.trainSeconds(),
            timing.syncSeconds(),
            eval,
            timing.evalSeconds(),
            traffic.bytesUp(),
            traffic.bytesDown(),
            Memory.rssMegabytes(),
            leakage);
    listener.onEpochEnd(id, result);
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

  private float train(int size) throws IOException {
    return client.trainStep(
        step++, batches.features(size), batches.shape(size), batches.labels(size));
  }

  private float trainOnEngine(int size) throws IOException {
    try {
      return EngineThread.call(
          () -> {
            try {
              return train(size);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private float trainOne(int epoch, int k) throws IOException {
    Traffic t = client.transport().traffic();
    long up0 = t.bytesClientToServer();
    long down0 = t.bytesServerToClient();
    long t0 = System.nanoTime();
    int size = batches.load(k);
    float loss = stepsOnEngineThread ? trainOnEngine(size) : train(size);
    long nanos = System.nanoTime() - t0;
    stepEvent.set(
        client.id(),
        epoch,
        k + 1,
        batches.count(),
        loss,
        nanos,
        t.bytesClientToServer() - up0,
        t.bytesServerToClient() - down0);
    listener.onStep(stepEvent);
    return loss;
  }

  /** Weight exchanges per epoch in the parallel schedule. */
  static int roundsPerEpoch(int maxBatches, int syncEvery) {
    if (syncEvery == 0) {
      return 0; // the client's parts are its own
    }
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

  /** Runs a weight exchange and reports its time and bytes. */
  private void exchange(int epoch, IoAction action) throws IOException {
    Traffic t = client.transport().traffic();
    long up0 = t.bytesClientToServer();
    long down0 = t.bytesServerToClient();
    long t0 = System.nanoTime();
    action.run();
    listener.onWeightExchange(
        client.id(),
        epoch,
        System.nanoTime() - t0,
        t.bytesClientToServer() - up0,
        t.bytesServerToClient() - down0);
  }

  /** Whether {@code store} holds a checkpoint of client {@code clientId} to resume from. */
  public static boolean hasCheckpoint(CheckpointStore store, int clientId) throws IOException {
    return new ClientCheckpoints(store).exists(clientId);
  }
}
