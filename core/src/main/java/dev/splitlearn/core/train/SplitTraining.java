package dev.splitlearn.core.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.party.PartModel;
import dev.splitlearn.core.party.SplitClient;
import dev.splitlearn.core.party.SplitServer;
import dev.splitlearn.core.protocol.InProcessTransport;
import dev.splitlearn.core.protocol.Transport;
import dev.splitlearn.data.Dataset;
import dev.splitlearn.models.SplitPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a split model with several clients against one server, in the sequential or parallel
 * schedule, evaluating on the test set after every epoch and checkpointing every party.
 */
public final class SplitTraining implements AutoCloseable {
  private final SplitPlan plan;
  private final List<Dataset> clientData;
  private final Dataset test;
  private final TrainingConfig config;
  private final TrainingListener listener;
  private final SplitServer server;
  private final TimedEndpoint endpoint;
  private final List<SplitClient> clients = new ArrayList<>();
  private final List<Batches> batches = new ArrayList<>();
  private final long[] steps;
  private long round;
  private int firstEpoch = 1;

  /**
   * Sets up the server and one client per data partition, linked by in-process transports.
   *
   * @param clientData each client's training data (at least one)
   */
  public SplitTraining(SplitPlan plan, List<Dataset> clientData, Dataset test, TrainingConfig config,
      TrainingListener listener) throws IOException {
    this.plan = plan;
    this.clientData = List.copyOf(clientData);
    this.test = test;
    this.config = config;
    this.listener = listener;
    int maxBatches = 0;
    for (Dataset d : clientData) {
      batches.add(new Batches(d, config.batchSize(), config.augmentation()));
      maxBatches = Math.max(maxBatches, batches.get(batches.size() - 1).count());
    }
    int totalBatches = batches.stream().mapToInt(Batches::count).sum();
    OptimizerSpec opt = config.optimizer();
    this.server = new SplitServer(plan, config.seed(), opt.withTotalSteps(totalBatches * config.epochs()),
        config.encryption());
    this.endpoint = new TimedEndpoint(server);
    int clientSteps = config.schedule() == Schedule.PARALLEL ? maxBatches : totalBatches;
    for (int i = 0; i < clientData.size(); i++) {
      Transport link = new InProcessTransport(endpoint);
      clients.add(new SplitClient(i, plan, config.seed(), opt.withTotalSteps(clientSteps * config.epochs()), link,
          config.encryption() == null ? null : config.encryption().newClientCipher()));
    }
    this.steps = new long[clientData.size()];
    if (config.resume()) {
      restore();
    }
  }

  /** The clients (for attacks and tests). */
  public List<SplitClient> clients() {
    return clients;
  }

  /** The server. */
  public SplitServer server() {
    return server;
  }

  /** Runs the remaining epochs and returns the report. */
  public RunReport run() throws IOException {
    List<EpochStats> epochs = new ArrayList<>();
    double trainSeconds = 0;
    double evalSeconds = 0;
    double syncSeconds = 0;
    Evaluation eval = null;
    for (int epoch = firstEpoch; epoch <= config.epochs(); epoch++) {
      long t0 = System.nanoTime();
      long up0 = totalTraffic(true);
      long down0 = totalTraffic(false);
      long[] syncNanos = {0};
      double loss = config.schedule() == Schedule.SEQUENTIAL
          ? sequentialEpoch(epoch, syncNanos) : parallelEpoch(epoch, syncNanos);
      double seconds = (System.nanoTime() - t0) / 1e9;
      long up = totalTraffic(true) - up0;
      long down = totalTraffic(false) - down0;
      trainSeconds += seconds;
      syncSeconds += syncNanos[0] / 1e9;
      long e0 = System.nanoTime();
      eval = evaluator().evaluate(test, Math.max(config.batchSize(), 256));
      evalSeconds += (System.nanoTime() - e0) / 1e9;
      EpochStats stats = new EpochStats("split", epoch, loss, eval.accuracy(), seconds, Memory.rssMegabytes(),
          up, down);
      epochs.add(stats);
      listener.onEpoch(stats);
      if (config.checkpointDir() != null) {
        checkpoint(epoch);
      }
    }
    if (eval == null) {
      eval = evaluator().evaluate(test, Math.max(config.batchSize(), 256));
    }
    return new RunReport("split", eval, epochs, trainSeconds, evalSeconds, syncSeconds,
        endpoint.seconds(), clientFigures());
  }

  /** The client whose weights are the latest: the last to train (sequential) or any (parallel). */
  private Predictor evaluator() {
    SplitClient c = config.schedule() == Schedule.SEQUENTIAL ? clients.get(clients.size() - 1) : clients.get(0);
    return c::predict;
  }

  private double sequentialEpoch(int epoch, long[] syncNanos) throws IOException {
    double lossSum = 0;
    long count = 0;
    long total = batches.stream().mapToInt(Batches::count).sum();
    for (int i = 0; i < clients.size(); i++) {
      SplitClient client = clients.get(i);
      long s0 = System.nanoTime();
      if (round > 0) {
        client.fetchWeights(round - 1);
      }
      syncNanos[0] += System.nanoTime() - s0;
      Batches b = batches.get(i);
      b.shuffle(config.seed(), epoch, i);
      for (int k = 0; k < b.count(); k++) {
        float loss = trainOne(i, b, k);
        lossSum += loss;
        listener.onStep("split", epoch, ++count, total, loss);
      }
      s0 = System.nanoTime();
      client.uploadWeights(round++, clientData.get(i).size());
      syncNanos[0] += System.nanoTime() - s0;
    }
    return lossSum / Math.max(1, count);
  }

  private double parallelEpoch(int epoch, long[] syncNanos) throws IOException {
    int maxBatches = 0;
    for (int i = 0; i < clients.size(); i++) {
      batches.get(i).shuffle(config.seed(), epoch, i);
      maxBatches = Math.max(maxBatches, batches.get(i).count());
    }
    long total = batches.stream().mapToInt(Batches::count).sum();
    double lossSum = 0;
    long count = 0;
    for (int k = 0; k < maxBatches; k++) {
      for (int i = 0; i < clients.size(); i++) {
        if (k < batches.get(i).count()) {
          float loss = trainOne(i, batches.get(i), k);
          lossSum += loss;
          listener.onStep("split", epoch, ++count, total, loss);
        }
      }
      if (clients.size() > 1 && ((k + 1) % config.syncEvery() == 0 || k == maxBatches - 1)) {
        long s0 = System.nanoTime();
        for (int i = 0; i < clients.size(); i++) {
          clients.get(i).uploadWeights(round, clientData.get(i).size());
        }
        for (SplitClient c : clients) {
          c.fetchWeights(round);
        }
        round++;
        syncNanos[0] += System.nanoTime() - s0;
      }
    }
    return lossSum / Math.max(1, count);
  }

  private float trainOne(int client, Batches b, int k) throws IOException {
    int n = b.load(k);
    return clients.get(client).trainStep(steps[client]++, b.features(n), b.shape(n), b.labels(n));
  }

  private List<Map<String, Object>> clientFigures() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < clients.size(); i++) {
      SplitClient c = clients.get(i);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("client", i);
      m.put("train_samples", clientData.get(i).size());
      m.put("steps", steps[i]);
      m.put("bytes_client_to_server", c.transport().traffic().bytesClientToServer());
      m.put("bytes_server_to_client", c.transport().traffic().bytesServerToClient());
      m.put("messages_client_to_server", c.transport().traffic().messagesClientToServer());
      long flops = c.extractor().flopsPerSample()
          + (c.classifier() == null ? 0 : c.classifier().flopsPerSample());
      m.put("client_forward_flops_per_sample", flops);
      m.put("client_parameters", c.extractor().parameterCount()
          + (c.classifier() == null ? 0 : c.classifier().parameterCount()));
      out.add(m);
    }
    return out;
  }

  private long totalTraffic(boolean up) {
    return clients.stream().mapToLong(c -> up ? c.transport().traffic().bytesClientToServer()
        : c.transport().traffic().bytesServerToClient()).sum();
  }

  private void checkpoint(int epoch) throws IOException {
    Path dir = config.checkpointDir();
    Files.createDirectories(dir);
    server.cloud().save(dir.resolve("server-cloud.params"));
    for (SplitClient c : clients) {
      c.extractor().save(dir.resolve("client-" + c.id() + "-extractor.params"));
      if (c.classifier() != null) {
        c.classifier().save(dir.resolve("client-" + c.id() + "-classifier.params"));
      }
    }
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("epoch", epoch);
    state.put("round", round);
    state.put("steps", steps);
    state.put("plan", plan.toString());
    Path tmp = dir.resolve("state.json.tmp");
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), state);
    Files.move(tmp, dir.resolve("state.json"), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  private void restore() throws IOException {
    Path dir = config.checkpointDir();
    Path stateFile = dir.resolve("state.json");
    if (!Files.isRegularFile(stateFile)) {
      throw new IOException(stateFile + ": no checkpoint to resume from");
    }
    Map<?, ?> state = new ObjectMapper().readValue(stateFile.toFile(), Map.class);
    if (!plan.toString().equals(state.get("plan"))) {
      throw new IOException(stateFile + ": checkpoint is of '" + state.get("plan") + "', this run is '" + plan + "'");
    }
    List<?> savedSteps = (List<?>) state.get("steps");
    if (savedSteps.size() != clients.size()) {
      throw new IOException(stateFile + ": checkpoint has " + savedSteps.size() + " clients, this run "
          + clients.size());
    }
    load(server.cloud(), dir.resolve("server-cloud.params"));
    for (SplitClient c : clients) {
      load(c.extractor(), dir.resolve("client-" + c.id() + "-extractor.params"));
      if (c.classifier() != null) {
        load(c.classifier(), dir.resolve("client-" + c.id() + "-classifier.params"));
      }
      steps[c.id()] = ((Number) savedSteps.get(c.id())).longValue();
    }
    round = ((Number) state.get("round")).longValue();
    if (round > 0) { // the relay is server memory, lost with the process: refill it from the last client
      int last = clients.size() - 1;
      clients.get(last).uploadWeights(round - 1, clientData.get(last).size());
    }
    firstEpoch = ((Number) state.get("epoch")).intValue() + 1;
  }

  private static void load(PartModel part, Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": checkpoint file missing");
    }
    part.load(file);
  }

  @Override
  public void close() throws IOException {
    for (SplitClient c : clients) {
      c.close();
    }
    server.close();
  }
}
