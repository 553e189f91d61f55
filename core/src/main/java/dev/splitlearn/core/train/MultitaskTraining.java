package dev.splitlearn.core.train;

import dev.splitlearn.core.client.ClientConfig;
import dev.splitlearn.core.client.ClientEpoch;
import dev.splitlearn.core.client.ClientListener;
import dev.splitlearn.core.client.SplitClient;
import dev.splitlearn.core.client.SplitClientRuntime;
import dev.splitlearn.core.protocol.Compression;
import dev.splitlearn.core.protocol.InProcessTransport;
import dev.splitlearn.core.server.ServerConfig;
import dev.splitlearn.core.server.SplitServerRuntime;
import dev.splitlearn.data.Dataset;
import dev.splitlearn.models.Protocol;
import dev.splitlearn.models.SplitPlan;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A multi-task run with every party in this JVM (Multiple Classification with Split Learning): one
 * {@link SplitServerRuntime} holds the cloud model shared by all tasks; each task is one {@link
 * SplitClientRuntime} with its own data, extractor, classifier and labels (U-shaped), linked by an
 * in-process transport exactly as separate processes would be.
 *
 * <p>The server is built from the first task's plan and agrees with every client on the cloud part
 * and the cut shape only ({@link SplitPlan#serverFingerprint()}); a client whose cloud or cut
 * differs is refused in the handshake. The clients train in parallel with ordered admission; each
 * client's steps are spread over the epoch in proportion to its batches (data sets of different
 * sizes interleave evenly, the same seed gives the same numbers), and client parts are never
 * averaged ({@link ServerConfig#multitask}). Every client evaluates its own test set after every
 * epoch.
 */
public final class MultitaskTraining implements AutoCloseable {
  private static final Duration WAIT = Duration.ofMinutes(30);

  /**
   * One task: a client's data and its plan (same cloud and cut as every other task's).
   *
   * @param name the task's name, e.g. {@code digits}
   * @param plan its split plan, U-shaped
   * @param train its training data
   * @param test its test data
   */
  public record Task(String name, SplitPlan plan, Dataset train, Dataset test) {
    public Task {
      if (plan.protocol() != Protocol.U_SHAPED) {
        throw new IllegalArgumentException(
            "task "
                + name
                + ": a multi-task run is u-shaped (labels stay on the"
                + " client), got "
                + plan.protocol().cliName());
      }
    }
  }

  /**
   * What one task's client measured.
   *
   * @param task the task
   * @param epochs its figures per epoch (each with its own test evaluation)
   * @param clientFlopsPerSample forward FLOPs per sample of its extractor and classifier
   * @param clientParameters parameters of its extractor and classifier
   * @param serverFlopsPerSample forward FLOPs per sample of the shared cloud model
   */
  public record TaskRun(
      Task task,
      List<ClientEpoch> epochs,
      long clientFlopsPerSample,
      long clientParameters,
      long serverFlopsPerSample) {
    /** The test evaluation after the last epoch. */
    public Evaluation evaluation() {
      return epochs.get(epochs.size() - 1).evaluation();
    }
  }

  private final List<Task> tasks;
  private final SplitServerRuntime server;
  private final List<SplitClientRuntime> clients = new ArrayList<>();

  /**
   * Sets up the server (the cloud model, from the first task's plan, seeded by {@code
   * config.seed()}) and one client per task; client i seeds its parts and its batch order from the
   * same seed and its id i. Uses the config's epochs, batch size, optimizer, seed and augmentation;
   * not its schedule, checkpoints, encryption or defenses.
   *
   * @param listener hears every client's events ({@link ClientListener#NONE} for none)
   * @throws IllegalArgumentException without tasks, or with checkpoints, encryption or defenses
   *     asked for
   */
  public MultitaskTraining(List<Task> tasks, TrainingConfig config, ClientListener listener)
      throws IOException {
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException("a multi-task run needs at least one task");
    }
    if (config.encryption() != null
        || config.defenses().active()
        || config.noPeek() > 0
        || config.checkpointDir() != null) {
      throw new IllegalArgumentException(
          "a multi-task run has no encryption, defenses, NoPeek or checkpoints yet");
    }
    this.tasks = List.copyOf(tasks);
    int n = tasks.size();
    this.server =
        new SplitServerRuntime(
            tasks.get(0).plan(),
            config.seed(),
            config.optimizer(),
            null,
            ServerConfig.multitask(n, config.epochs(), WAIT));
    for (int i = 0; i < n; i++) {
      Task t = tasks.get(i);
      SplitClient c =
          new SplitClient(
              i, t.plan(), config.seed(), config.optimizer(), new InProcessTransport(server));
      clients.add(
          new SplitClientRuntime(
              c,
              t.train(),
              t.test(),
              new ClientConfig(
                  config.optimizer(),
                  config.batchSize(),
                  config.seed(),
                  config.augmentation(),
                  Compression.FLOAT32,
                  true,
                  null,
                  false),
              listener));
    }
  }

  /** The server (for tests and accounting). */
  public SplitServerRuntime server() {
    return server;
  }

  /** The clients, one per task, in task order. */
  public List<SplitClient> clients() {
    return clients.stream().map(SplitClientRuntime::client).toList();
  }

  /**
   * Runs every epoch, every task's client on its own thread; returns each task's figures, in task
   * order.
   */
  public List<TaskRun> run() throws IOException {
    List<List<ClientEpoch>> epochs = SplitTraining.runEach(clients);
    long serverFlops = server.cloud().flopsPerSample();
    List<TaskRun> out = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      SplitClient c = clients.get(i).client();
      out.add(
          new TaskRun(
              tasks.get(i), epochs.get(i), c.flopsPerSample(), c.parameterCount(), serverFlops));
    }
    return out;
  }

  /**
   * The local-only baseline of task {@code i}: the same architecture (its extractor, its own copy
   * of the cloud part, its classifier) unsplit, on its own data alone, with the same epochs,
   * batches, optimizer, initial weights and batch order as its client in the multi-task run.
   */
  public static RunReport localOnly(
      Task task, int i, TrainingConfig config, TrainingListener listener) throws IOException {
    return WholeModelTraining.alone(
        "local-" + task.name(),
        task.plan().model(),
        task.train(),
        task.test(),
        config,
        listener,
        i);
  }

  @Override
  public void close() throws IOException {
    SplitTraining.closeAll(clients, server);
  }
}
