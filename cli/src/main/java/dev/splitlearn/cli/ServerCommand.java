package dev.splitlearn.cli;

import dev.splitlearn.core.party.DirectoryCheckpointStore;
import dev.splitlearn.core.protocol.FrameTap;
import dev.splitlearn.core.protocol.Schedule;
import dev.splitlearn.core.server.ServerConfig;
import dev.splitlearn.core.server.SplitServerRuntime;
import dev.splitlearn.metrics.ServerMetrics;
import dev.splitlearn.models.SplitPlan;
import dev.splitlearn.transport.grpc.GrpcServer;
import dev.splitlearn.transport.grpc.ServerSecurity;
import dev.splitlearn.transport.grpc.Tokens;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code splitlearn server}: the cloud side of a run, over gRPC. Builds the server's part of the
 * model from the data set's shape (it never reads the data), waits for {@code --clients} clients,
 * serves the schedule, checkpoints after every epoch and writes OUT/results.json with the
 * per-client figures once every client has left.
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Serve the cloud model over gRPC to --clients clients; write OUT/results.json when they are done.")
final class ServerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TrainOptions options;

  @Option(
      names = "--host",
      description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for all).",
      defaultValue = "127.0.0.1")
  String host;

  @Option(
      names = "--port",
      description = "Port to listen on, 0 for any free one (default: ${DEFAULT-VALUE}).",
      defaultValue = "7443")
  int port;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description = "PEM certificate chain of this server: serve TLS.")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "PEM private key (PKCS#8) of --tls-cert.")
  Path tlsKey;

  @Option(
      names = "--tls-client-ca",
      paramLabel = "FILE",
      description =
          "PEM CA certificate(s): every client must present a certificate it signed (mutual TLS).")
  Path tlsClientCa;

  @Option(
      names = "--tokens",
      paramLabel = "FILE",
      description =
          "Bearer tokens, one 'CLIENT_ID TOKEN' line per "
              + "client (make them with 'splitlearn tokens'): every call must carry its client's token.")
  Path tokens;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description =
          "Serve Prometheus metrics on "
              + "http://--metrics-host:PORT/metrics and a health check on /-/healthy (0: any free port; default: off).")
  Integer metricsPort;

  @Option(
      names = "--metrics-host",
      description = "Address of the metrics endpoint (default: ${DEFAULT-VALUE}).",
      defaultValue = "127.0.0.1")
  String metricsHost;

  @Option(
      names = "--max-message-mb",
      description =
          "Largest frame a client may send, in MiB; larger ones are "
              + "refused before they are read (default: ${DEFAULT-VALUE}).",
      defaultValue = "64")
  int maxMessageMb;

  @Option(
      names = "--tap",
      paramLabel = "FILE",
      description =
          "Record every frame the server receives and sends "
              + "(what a curious server sees) into FILE, for attacks and audits.")
  Path tap;

  @Option(
      names = "--tap-max-mb",
      description =
          "Stop recording once the tap file holds this many MB " + "(default: ${DEFAULT-VALUE}).",
      defaultValue = "4096")
  long tapMaxMb;

  @Option(
      names = "--order",
      description =
          "Parallel schedule: 'strict' admits the clients' steps in a fixed "
              + "order (the in-process numbers, reproducible); 'arrival' serves them as they come (many independent "
              + "clients). Default: ${DEFAULT-VALUE}.",
      defaultValue = "strict")
  String order;

  @Option(
      names = "--wait-timeout",
      description =
          "Longest wait, in seconds, for clients at a barrier or turn "
              + "(default: ${DEFAULT-VALUE}).",
      defaultValue = "1800")
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
    if (options.syncEvery < 1) { // 0 (never average) is for multi-task runs, not this command yet
      throw new IllegalArgumentException("--sync-every must be >= 1, got " + options.syncEvery);
    }
    if (!order.equals("strict") && !order.equals("arrival")) {
      throw new IllegalArgumentException("--order must be strict or arrival, got '" + order + "'");
    }
    ServerConfig config =
        new ServerConfig(
            options.clients,
            schedule,
            options.epochs,
            options.syncEvery,
            order.equals("strict"),
            Duration.ofSeconds(waitTimeout),
            new DirectoryCheckpointStore(options.out.resolve("checkpoints")),
            options.resume,
            options.gradientDpByClient()
                ? null
                : options.gradientDp()); // u-shaped: the clients apply it
    ServerSecurity security =
        new ServerSecurity(
            tlsCert, tlsKey, tlsClientCa, tokens == null ? null : Tokens.load(tokens));
    ServerMetrics metrics = new ServerMetrics();
    long t0 = System.nanoTime();
    try (SplitServerRuntime runtime =
            new SplitServerRuntime(
                plan, options.seed, runner.optimizer(), options.encryption(), config);
        HTTPServer http = metricsPort == null ? null : metrics.serve(metricsHost, metricsPort);
        FrameTap recorder = tap == null ? null : new FrameTap(runtime, tap, tapMaxMb << 20);
        GrpcServer grpc =
            GrpcServer.start(
                metrics.meter(recorder == null ? runtime : recorder),
                host,
                port,
                security,
                (int) Math.min(Integer.MAX_VALUE, (long) maxMessageMb << 20))) {
      runtime.addListener(metrics);
      err.printf(
          "splitlearn server: %s, %d client(s) %s, %d epochs, listening on %s:%d (%s%s)%s%n",
          plan,
          options.clients,
          options.schedule,
          options.epochs,
          host,
          grpc.port(),
          security.tls() ? (tlsClientCa != null ? "mutual TLS" : "TLS") : "plaintext",
          security.tokens() == null ? "" : ", tokens",
          http == null
              ? ""
              : ", metrics on http://" + metricsHost + ":" + http.getPort() + "/metrics");
      err.flush();
      runtime.awaitClientsLeft(Duration.ofDays(365));
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("role", "server");
      r.put("plan", plan.fingerprint());
      r.put("clients", runtime.clientFigures());
      r.put("seconds", (System.nanoTime() - t0) / 1e9);
      r.put("peak_rss_mb", dev.splitlearn.core.train.Memory.peakRssMegabytes());
      if (recorder != null) {
        r.put(
            "tap",
            new TreeMap<>(Map.of("file", tap.toString(), "stopped_at_bound", recorder.full())));
      }
      Map<String, Object> cfg = new LinkedHashMap<>();
      cfg.put("clients", options.clients);
      cfg.put("schedule", options.schedule);
      cfg.put("epochs", options.epochs);
      cfg.put("order", order);
      cfg.put("sync_every", options.syncEvery);
      cfg.put("optimizer", runner.optimizer());
      cfg.put("seed", options.seed);
      cfg.put("he", options.he);
      if (options.gradientDp() != null && !options.gradientDpByClient()) {
        cfg.put("gradient_dp", options.gradientDp().describe(false));
        java.util.List<Integer> epochs =
            java.util.stream.IntStream.rangeClosed(1, options.epochs).boxed().toList();
        r.put(
            "gradient_privacy", DefenseReport.gradientPrivacy(options.gradientDp(), epochs, false));
      }
      r.put("config", cfg);
      Versions.provenance(r);
      Runner.writeAtomically(options.out.resolve("results.json"), r);
      err.printf(
          "splitlearn server: every client left -> %s%n", options.out.resolve("results.json"));
    }
    return ExitCode.OK;
  }
}
