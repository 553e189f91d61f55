package dev.splitlearn.core.train;

import dev.splitlearn.core.client.ClientConfig;
import dev.splitlearn.core.client.ClientEpoch;
import dev.splitlearn.core.client.ClientListener;
import dev.splitlearn.core.client.ClientStep;
import dev.splitlearn.core.client.SplitClient;
import dev.splitlearn.core.client.SplitClientRuntime;
import dev.splitlearn.core.defense.ClientDefenses;
import dev.splitlearn.core.party.CheckpointStore;
import dev.splitlearn.core.party.DirectoryCheckpointStore;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.protocol.Compression;
import dev.splitlearn.core.protocol.ErrorCode;
import dev.splitlearn.core.protocol.InProcessTransport;
import dev.splitlearn.core.protocol.MessageCodec;
import dev.splitlearn.core.protocol.ProtocolException;
import dev.splitlearn.core.protocol.Schedule;
import dev.splitlearn.core.protocol.WireEndpoint;
import dev.splitlearn.core.server.ServerConfig;
import dev.splitlearn.core.server.SplitServerRuntime;
import dev.splitlearn.data.Dataset;
import dev.splitlearn.models.SplitPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Split training with every party in this JVM: one {@link SplitServerRuntime} and one {@link
 * SplitClientRuntime} per data partition, each client on its own thread and linked by an in-process
 * transport, exactly as separate processes would run. The parallel schedule admits steps in a fixed
 * order, so the same seed gives the same numbers. One client evaluates on the test set after every
 * epoch: the last (sequential) or the first (parallel).
 */
public final class SplitTraining implements AutoCloseable {
  private static final Duration WAIT = Duration.ofMinutes(30);

  private final List<Dataset> clientData;
  private final TrainingConfig config;
  private final TrainingListener listener;
  private final SplitServerRuntime server;
  private final List<SplitClientRuntime> clients = new ArrayList<>();
  private final Merger merger;

  /**
   * Sets up the server and one client per data partition, linked by in-process transports.
   *
   * @param clientData each client's training data (at least one)
   */
  public SplitTraining(
      SplitPlan plan,
      List<Dataset> clientData,
      Dataset test,
      TrainingConfig config,
      TrainingListener listener)
      throws IOException {
    this(plan, clientData, test, config, listener, Compression.FLOAT32);
  }

  /** As above, with the clients encoding cut tensors with {@code compression}. */
  public SplitTraining(
      SplitPlan plan,
      List<Dataset> clientData,
      Dataset test,
      TrainingConfig config,
      TrainingListener listener,
      Compression compression)
      throws IOException {
    this(plan, clientData, test, config, listener, compression, UnaryOperator.identity());
  }

  /**
   * As above; the clients' in-process transports link to {@code serverEnd.apply(server)} instead of
   * the server itself, e.g. a {@link dev.splitlearn.core.protocol.FrameTap} that records what the
   * server sees (a hook, so that the training loop knows nothing of taps). It must answer on the
   * calling thread: with one client, that thread is the engine thread for whole steps.
   */
  public SplitTraining(
      SplitPlan plan,
      List<Dataset> clientData,
      Dataset test,
      TrainingConfig config,
      TrainingListener listener,
      Compression compression,
      UnaryOperator<WireEndpoint> serverEnd)
      throws IOException {
    if (clientData.isEmpty()) {
      throw new IllegalArgumentException("split training needs at least one client");
    }
    this.clientData = List.copyOf(clientData);
    this.config = config;
    this.listener = listener;
    CheckpointStore store =
        config.checkpointDir() == null
            ? null
            : new DirectoryCheckpointStore(config.checkpointDir());
    int n = clientData.size();
    this.server =
        new SplitServerRuntime(
            plan,
            config.seed(),
            config.optimizer(),
            config.encryption(),
            new ServerConfig(
                n,
                config.schedule(),
                config.epochs(),
                config.syncEvery(),
                true,
                WAIT,
                store,
                config.resume(),
                plan.labelsOnClient()
                    ? null
                    : config.gradientDp())); // u-shaped: the clients apply it
    int maxBatches = 0;
    int totalBatches = 0;
    for (Dataset d : clientData) {
      int b = batches(d);
      maxBatches = Math.max(maxBatches, b);
      totalBatches += b;
    }
    int clientSteps = config.schedule() == Schedule.PARALLEL ? maxBatches : totalBatches;
    OptimizerSpec opt = config.optimizer().withTotalSteps(clientSteps * config.epochs());
    int evaluator = config.schedule() == Schedule.SEQUENTIAL ? n - 1 : 0;
    this.merger = new Merger(n, totalBatches);
    WireEndpoint end = serverEnd.apply(server);
    for (int i = 0; i < n; i++) {
      ClientDefenses own = config.defensesOf(i);
      InProcessTransport link =
          new InProcessTransport(
              end,
              new MessageCodec(
                  MessageCodec.DEFAULT_MAX_BYTES,
                  compression,
                  own.defenses().activationEncoding()));
      SplitClient c =
          new SplitClient(
              i,
              plan,
              config.seed(),
              opt,
              link,
              config.encryption() == null ? null : config.encryption().newClientCipher());
      if (config.extractor() != null) {
        c.useFrozenExtractor(config.extractor());
      }
      if (plan.labelsOnClient()) {
        c.useGradientDp(config.gradientDp());
      }
      clients.add(
          new SplitClientRuntime(
              c,
              clientData.get(i),
              i == evaluator ? test : null,
              new ClientConfig(
                  config.optimizer(),
                  config.batchSize(),
                  config.seed(),
                  config.augmentation(),
                  compression,
                  i == evaluator,
                  store,
                  config.resume(),
                  own.noPeek(),
                  own.defenses()),
              merger));
    }
    if (n == 1) { // alone with its server in this JVM: nothing to hand the engine over for
      clients.get(0).runStepsOnEngineThread();
    }
  }

  private int batches(Dataset d) {
    return (d.size() + config.batchSize() - 1) / config.batchSize();
  }

  /** The clients (for attacks and tests). */
  public List<SplitClient> clients() {
    return clients.stream().map(SplitClientRuntime::client).toList();
  }

  /** The server. */
  public SplitServerRuntime server() {
    return server;
  }

  /** Bytes all clients sent to the server so far. */
  public long bytesClientToServer() {
    return clients().stream().mapToLong(c -> c.transport().traffic().bytesClientToServer()).sum();
  }

  /** Bytes the server sent to all clients so far. */
  public long bytesServerToClient() {
    return clients().stream().mapToLong(c -> c.transport().traffic().bytesServerToClient()).sum();
  }

  /** Runs the remaining epochs, every client on its own thread, and returns the report. */
  public RunReport run() throws IOException {
    runEach(clients);
    return merger.report(server.clientFigures(), clients);
  }

  /**
   * Runs every client's loop on its own thread until all are done; returns each client's epochs, in
   * order. Throws the first failure that is a cause rather than a consequence of another client
   * leaving.
   */
  static List<List<ClientEpoch>> runEach(List<SplitClientRuntime> clients) throws IOException {
    List<Thread> threads = new ArrayList<>();
    Throwable[] failures = new Throwable[clients.size()];
    List<List<ClientEpoch>> epochs = new ArrayList<>();
    for (int i = 0; i < clients.size(); i++) {
      epochs.add(List.of());
    }
    for (int i = 0; i < clients.size(); i++) {
      int id = i;
      SplitClientRuntime runtime = clients.get(i);
      Thread t =
          new Thread(
              () -> {
                try {
                  List<ClientEpoch> done = runtime.run();
                  synchronized (epochs) {
                    epochs.set(id, done);
                  }
                } catch (Throwable e) {
                  failures[id] = e;
                  try {
                    runtime
                        .client()
                        .transport()
                        .close(); // the server releases whoever waits for this client
                  } catch (IOException ignored) {
                    // closing a broken in-process link cannot fail further
                  }
                }
              },
              "client-" + i);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while clients were training", e);
      }
    }
    rethrow(failures);
    synchronized (epochs) {
      return List.copyOf(epochs);
    }
  }

  /**
   * Throws the first failure that is a cause rather than a consequence of another client leaving.
   */
  private static void rethrow(Throwable[] failures) throws IOException {
    Throwable first = null;
    for (Throwable f : failures) {
      if (f != null && (first == null || (leftOver(first) && !leftOver(f)))) {
        first = f;
      }
    }
    if (first == null) {
      return;
    }
    if (first instanceof IOException e) {
      throw e;
    }
    if (first instanceof RuntimeException e) {
      throw e;
    }
    if (first instanceof Error e) {
      throw e;
    }
    throw new UncheckedIOException(new IOException(first));
  }

  private static boolean leftOver(Throwable t) {
    return t instanceof ProtocolException p && p.code() == ErrorCode.UNAVAILABLE;
  }

  /**
   * Merges the clients' epochs into one line per epoch, as the progress bar and results show them.
   */
  private final class Merger implements ClientListener {
    private final int n;
    private final long stepsPerEpoch;
    private final AtomicLong done = new AtomicLong();
    private final TreeMap<Integer, List<ClientEpoch>> epochs = new TreeMap<>();
    private final List<EpochStats> merged = new ArrayList<>();
    private Evaluation last;
    private double trainSeconds;
    private double evalSeconds;
    private double syncSeconds;

    Merger(int n, long stepsPerEpoch) {
      this.n = n;
      this.stepsPerEpoch = stepsPerEpoch;
    }

    @Override
    public void onStep(ClientStep step) {
      long count = done.incrementAndGet();
      synchronized (this) {
        listener.onStep(
            "split", step.epoch(), (count - 1) % stepsPerEpoch + 1, stepsPerEpoch, step.loss());
      }
    }

    @Override
    public synchronized void onEpochEnd(int client, ClientEpoch e) {
      List<ClientEpoch> got = epochs.computeIfAbsent(e.epoch(), x -> new ArrayList<>());
      got.add(e);
      if (got.size() < n) {
        return;
      }
      long steps = got.stream().mapToLong(ClientEpoch::steps).sum();
      double loss = got.stream().mapToDouble(ClientEpoch::lossSum).sum() / Math.max(1, steps);
      double seconds = got.stream().mapToDouble(ClientEpoch::trainSeconds).max().orElse(0);
      Evaluation eval =
          got.stream().map(ClientEpoch::evaluation).filter(x -> x != null).findFirst().orElse(null);
      long up = got.stream().mapToLong(ClientEpoch::bytesUp).sum();
      long down = got.stream().mapToLong(ClientEpoch::bytesDown).sum();
      double dcor =
          got.stream()
              .mapToDouble(ClientEpoch::distanceCorrelation)
              .filter(d -> !Double.isNaN(d))
              .average()
              .orElse(Double.NaN); // mean over the clients of their batches' mean
      EpochStats stats =
          new EpochStats(
              "split",
              e.epoch(),
              loss,
              eval == null ? Double.NaN : eval.accuracy(),
              seconds,
              Memory.rssMegabytes(),
              up,
              down,
              dcor);
      merged.add(stats);
      last = eval;
      trainSeconds += seconds;
      evalSeconds += got.stream().mapToDouble(ClientEpoch::evalSeconds).max().orElse(0);
      syncSeconds += got.stream().mapToDouble(ClientEpoch::syncSeconds).max().orElse(0);
      listener.onEpoch(stats);
    }

    synchronized RunReport report(
        List<Map<String, Object>> serverFigures, List<SplitClientRuntime> runtimes)
        throws IOException {
      Evaluation eval = last;
      if (eval == null) { // nothing left to train (resumed after the last epoch): evaluate now
        eval =
            runtimes
                .get(config.schedule() == Schedule.SEQUENTIAL ? runtimes.size() - 1 : 0)
                .evaluate();
      }
      List<Map<String, Object>> figures = new ArrayList<>();
      for (SplitClientRuntime r : runtimes) {
        SplitClient c = r.client();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("client", c.id());
        m.put("train_samples", r.trainSamples());
        m.put("steps", r.steps());
        m.put("bytes_client_to_server", c.transport().traffic().bytesClientToServer());
        m.put("bytes_server_to_client", c.transport().traffic().bytesServerToClient());
        m.put("messages_client_to_server", c.transport().traffic().messagesClientToServer());
        m.put("client_forward_flops_per_sample", c.flopsPerSample());
        m.put("client_parameters", c.parameterCount());
        figures.add(m);
      }
      double serverSeconds =
          serverFigures.stream().mapToDouble(f -> ((Number) f.get("seconds")).doubleValue()).sum();
      return new RunReport(
          "split",
          eval,
          List.copyOf(merged),
          trainSeconds,
          evalSeconds,
          syncSeconds,
          serverSeconds,
          figures);
    }
  }

  @Override
  public void close() throws IOException {
    closeAll(clients, server);
  }

  /**
   * Closes every client, then the server; throws the first client failure after the server is
   * closed.
   */
  static void closeAll(List<SplitClientRuntime> clients, SplitServerRuntime server)
      throws IOException {
    IOException first = null;
    for (SplitClientRuntime r : clients) {
      try {
        r.client().close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    server.close();
    if (first != null) {
      throw first;
    }
  }
}
