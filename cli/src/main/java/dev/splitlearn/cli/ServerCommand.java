package dev.splitlearn.cli;

import dev.splitlearn.core.party.DirectoryCheckpointStore;
import dev.splitlearn.core.protocol.Schedule;
import dev.splitlearn.core.server.ServerConfig;
import dev.splitlearn.core.server.SplitServerRuntime;
import dev.splitlearn.models.SplitPlan;
import dev.splitlearn.transport.grpc.GrpcServer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code splitlearn server}: the cloud side of a run, over gRPC. Builds the server's part of the
 * model from the data set's shape (it never reads the data), waits for {@code --clients} clients,
 * serves the schedule, checkpoints after every epoch and writes OUT/results.json with the
 * per-client figures once every client has left.
 */
@Command(name = "server", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Serve the cloud model over gRPC to --clients clients; write OUT/results.json when they are done.")
final class ServerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TrainOptions options;

  @Option(names = "--host", description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for all).",
      defaultValue = "127.0.0.1")
  String host;

  @Option(names = "--port", description = "Port to listen on, 0 for any free one (default: ${DEFAULT-VALUE}).",
      defaultValue = "7443")
  int port;

  @Option(names = "--wait-timeout", description = "Longest wait, in seconds, for clients at a barrier or turn "
      + "(default: ${DEFAULT-VALUE}).", defaultValue = "1800")
  int waitTimeout;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    Runner runner = new Runner(options, err);
    options.applyOneDnn();
    SplitPlan plan = runner.planWithoutData();
    Schedule schedule = Schedule.parse(options.schedule);
    if (options.clients < 1 || waitTimeout < 1) {
      throw new IllegalArgumentException("--clients and --wait-timeout must be >= 1");
    }
    ServerConfig config = new ServerConfig(options.clients, schedule, options.epochs, options.syncEvery, true,
        Duration.ofSeconds(waitTimeout), new DirectoryCheckpointStore(options.out.resolve("checkpoints")),
        options.resume);
    long t0 = System.nanoTime();
    try (SplitServerRuntime runtime = new SplitServerRuntime(plan, options.seed, runner.optimizer(),
        options.encryption(), config);
        GrpcServer grpc = GrpcServer.start(runtime, host, port)) {
      err.printf("splitlearn server: %s, %d client(s) %s, %d epochs, listening on %s:%d%n", plan, options.clients,
          options.schedule, options.epochs, host, grpc.port());
      err.flush();
      runtime.awaitClientsLeft(Duration.ofDays(365));
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("role", "server");
      r.put("plan", plan.fingerprint());
      r.put("clients", runtime.clientFigures());
      r.put("seconds", (System.nanoTime() - t0) / 1e9);
      Map<String, Object> cfg = new LinkedHashMap<>();
      cfg.put("clients", options.clients);
      cfg.put("schedule", options.schedule);
      cfg.put("epochs", options.epochs);
      cfg.put("sync_every", options.syncEvery);
      cfg.put("optimizer", runner.optimizer());
      cfg.put("seed", options.seed);
      cfg.put("he", options.he);
      r.put("config", cfg);
      Versions.provenance(r);
      Runner.writeAtomically(options.out.resolve("results.json"), r);
      err.printf("splitlearn server: every client left -> %s%n", options.out.resolve("results.json"));
    }
    return ExitCode.OK;
  }
}
