package dev.splitlearn.cli;

import dev.splitlearn.core.client.ClientConfig;
import dev.splitlearn.core.client.ClientEpoch;
import dev.splitlearn.core.client.ClientListener;
import dev.splitlearn.core.client.ClientStep;
import dev.splitlearn.core.client.SplitClient;
import dev.splitlearn.core.client.SplitClientRuntime;
import dev.splitlearn.core.defense.ClientDefenses;
import dev.splitlearn.core.party.DirectoryCheckpointStore;
import dev.splitlearn.core.protocol.Compression;
import dev.splitlearn.core.protocol.MessageCodec;
import dev.splitlearn.core.protocol.WireTransport;
import dev.splitlearn.core.train.EpochStats;
import dev.splitlearn.core.train.Evaluation;
import dev.splitlearn.data.Dataset;
import dev.splitlearn.splithe.CkksEncryption;
import dev.splitlearn.transport.grpc.ClientSecurity;
import dev.splitlearn.transport.grpc.GrpcLink;
import dev.splitlearn.transport.grpc.Tokens;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code splitlearn client}: one data holder, over gRPC. Loads its data (its share of the data set:
 * partition {@code --client-id} of {@code --clients}, as the in-process run cuts it), joins the
 * server, trains on the server's schedule, evaluates after every epoch and writes OUT/results.json.
 */
@Command(
    name = "client",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Train as one client of a server over gRPC; write OUT/results.json.")
final class ClientCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TrainOptions options;

  @Option(names = "--server", required = true, description = "The server, HOST:PORT.")
  String server;

  @Option(names = "--client-id", required = true, description = "This client's id, 0 .. clients-1.")
  int clientId;

  @Option(
      names = "--request-timeout",
      description =
          "Longest wait, in seconds, for one reply of the server; "
              + "must outlast its --wait-timeout (default: ${DEFAULT-VALUE}).",
      defaultValue = "2100")
  int requestTimeout;

  @Option(
      names = "--connect-timeout",
      description =
          "How long, in seconds, to keep trying to reach the server "
              + "before the session starts (default: ${DEFAULT-VALUE}).",
      defaultValue = "60")
  int connectTimeout;

  @Option(
      names = "--tls",
      description = "Speak TLS, trusting the Java installation's CAs (implied by --tls-ca).")
  boolean tls;

  @Option(
      names = "--tls-ca",
      paramLabel = "FILE",
      description = "PEM CA certificate that signed the server's.")
  Path tlsCa;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description = "PEM client certificate, for mutual TLS.")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "PEM private key (PKCS#8) of --tls-cert.")
  Path tlsKey;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "File holding this client's bearer token.")
  Path tokenFile;

  @Option(
      names = "--reconnects",
      description =
          "Times to reconnect after the link to the server breaks "
              + "mid-run, resuming from this client's last checkpoint (default: ${DEFAULT-VALUE}).",
      defaultValue = "5")
  int reconnects;

  @Option(
      names = "--no-evaluate",
      description = "Do not evaluate on the test set after every epoch.")
  boolean noEvaluate;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    Runner runner = new Runner(options, err);
    Runner.Setup s = runner.setup();
    if (clientId < 0 || clientId >= options.clients) {
      throw new IllegalArgumentException(
          "--client-id must be in 0.." + (options.clients - 1) + ", got " + clientId);
    }
    Compression compression = options.cutCompression();
    ClientDefenses own =
        options.defensesOf(clientId); // its entry of client-defenses, else the run's flags
    Dataset mine = s.clientData().get(clientId);
    CkksEncryption he = options.encryption();
    if (connectTimeout < 1 || requestTimeout < 1) {
      throw new IllegalArgumentException("--connect-timeout and --request-timeout must be >= 1");
    }
    ClientSecurity security =
        new ClientSecurity(
            tls, tlsCa, tlsCert, tlsKey, tokenFile == null ? null : readToken(tokenFile));
    MessageCodec codec =
        new MessageCodec(
            MessageCodec.DEFAULT_MAX_BYTES, compression, own.defenses().activationEncoding());
    DirectoryCheckpointStore checkpoints =
        new DirectoryCheckpointStore(options.out.resolve("checkpoints"));
    err.printf(
        "splitlearn client %d: %s, %d training samples, server %s%n",
        clientId, s.plan(), mine.size(), server);
    ProgressBar bar =
        new ProgressBar(err, !options.noProgress && System.console() != null, options.epochs);
    Map<Integer, ClientEpoch> byEpoch =
        new TreeMap<>(); // an epoch redone after a reconnect replaces the first try
    ClientListener listener =
        new ClientListener() {
          @Override
          public void onStep(ClientStep step) {
            bar.onStep(
                "client-" + step.client(), step.epoch(), step.done(), step.total(), step.loss());
          }

          @Override
          public void onEpochEnd(int client, ClientEpoch e) {
            byEpoch.put(e.epoch(), e);
            bar.onEpoch(
                new EpochStats(
                    "client-" + client,
                    e.epoch(),
                    e.meanLoss(),
                    e.evaluation() == null ? Double.NaN : e.evaluation().accuracy(),
                    e.trainSeconds(),
                    e.rssMegabytes(),
                    e.bytesUp(),
                    e.bytesDown()));
          }
        };
    long up = 0;
    long down = 0;
    long messages = 0;
    long steps = 0;
    for (int attempt = 0; ; attempt++) {
      boolean resume =
          attempt == 0 ? options.resume : SplitClientRuntime.hasCheckpoint(checkpoints, clientId);
      WireTransport transport =
          new WireTransport(
              GrpcLink.connect(
                  server,
                  Duration.ofSeconds(requestTimeout),
                  Duration.ofSeconds(connectTimeout),
                  security),
              codec);
      try (SplitClient client =
          new SplitClient(
              clientId,
              s.plan(),
              options.seed,
              s.config().optimizer(),
              transport,
              he == null ? null : he.newClientCipher())) {
        if (s.config().extractor() != null) {
          client.useFrozenExtractor(s.config().extractor());
        }
        if (options.gradientDpByClient()) {
          client.useGradientDp(options.gradientDp());
        }
        SplitClientRuntime runtime =
            new SplitClientRuntime(
                client,
                mine,
                noEvaluate ? null : s.test(),
                new ClientConfig(
                    s.config().optimizer(),
                    options.batch,
                    options.seed,
                    s.config().augmentation(),
                    compression,
                    !noEvaluate,
                    checkpoints,
                    resume,
                    own.noPeek(),
                    own.defenses()),
                listener);
        try {
          runtime.run();
          steps = runtime.steps();
          break;
        } catch (
            IOException e) { // the link broke (a refusal is a RemoteException and ends the run)
          if (attempt >= reconnects) {
            throw e;
          }
          err.printf(
              "splitlearn client %d: %s; reconnecting (%d of %d), resuming from %s%n",
              clientId,
              e.getMessage(),
              attempt + 1,
              reconnects,
              SplitClientRuntime.hasCheckpoint(checkpoints, clientId)
                  ? "the last checkpoint"
                  : "the start (no checkpoint yet)");
          err.flush();
        } finally {
          up += transport.traffic().bytesClientToServer();
          down += transport.traffic().bytesServerToClient();
          messages += transport.traffic().messagesClientToServer();
        }
      }
    }
    List<ClientEpoch> epochs = new ArrayList<>(byEpoch.values());
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("role", "client");
    r.put("client", clientId);
    Evaluation last = epochs.isEmpty() ? null : epochs.get(epochs.size() - 1).evaluation();
    r.put("test_accuracy", last == null ? null : last.accuracy());
    r.put("per_class", last == null ? null : last.perClass());
    r.put("train_samples", mine.size());
    r.put("steps", steps);
    r.put("bytes_client_to_server", up);
    r.put("bytes_server_to_client", down);
    r.put("messages_client_to_server", messages);
    List<Map<String, Object>> per = new ArrayList<>();
    for (ClientEpoch e : epochs) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("epoch", e.epoch());
      m.put("train_loss", e.meanLoss());
      m.put("test_accuracy", e.evaluation() == null ? null : e.evaluation().accuracy());
      m.put("seconds", e.trainSeconds());
      m.put("sync_seconds", e.syncSeconds());
      m.put("eval_seconds", e.evalSeconds());
      m.put("bytes_up", e.bytesUp());
      m.put("bytes_down", e.bytesDown());
      m.put("steps", e.steps());
      m.put("rss_mb", e.rssMegabytes());
      m.put("dcor", e.distanceCorrelation());
      per.add(m);
    }
    r.put("per_epoch", per);
    Map<String, Object> privacy =
        DefenseReport.privacy(own.defenses(), epochs.stream().map(e -> e.epoch()).toList());
    if (privacy != null) {
      r.put("privacy", privacy);
    }
    Map<String, Object> gradientPrivacy =
        options.gradientDpByClient()
            ? DefenseReport.gradientPrivacy(
                options.gradientDp(), epochs.stream().map(e -> e.epoch()).toList(), true)
            : null;
    if (gradientPrivacy != null) {
      r.put("gradient_privacy", gradientPrivacy);
    }
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("server", server);
    cfg.put("dataset", options.dataset);
    cfg.put("plan", s.plan().fingerprint());
    cfg.put("clients", options.clients);
    cfg.put("partition", options.partition);
    cfg.put("batch", options.batch);
    cfg.put("compression", compression.cliName());
    cfg.put("seed", options.seed);
    cfg.put("nopeek", own.noPeek());
    cfg.put("extractor", Runner.extractorRecord(s));
    cfg.put("defenses", own.defenses().describe());
    if (options.gradientDp() != null && options.gradientDpByClient()) {
      cfg.put("gradient_dp", options.gradientDp().describe(true));
    }
    cfg.put(
        "defenses_from",
        options.clientDefenses().stream().anyMatch(c -> c.client() == clientId)
            ? "client-defenses"
            : "run flags");
    cfg.put("train_sha256", mine.sha256());
    r.put("config", cfg);
    Versions.provenance(r);
    Runner.writeAtomically(options.out.resolve("results.json"), r);
    err.printf(
        "splitlearn client %d: test accuracy %s after %d epochs, %.1f MB up, %.1f MB down -> %s%n",
        clientId,
        last == null ? "-" : String.format("%.4f", last.accuracy()),
        epochs.size(),
        up / 1e6,
        down / 1e6,
        options.out.resolve("results.json"));
    return ExitCode.OK;
  }

  /** The one token in {@code file}. */
  static String readToken(Path file) throws IOException {
    String token = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (token.length() < Tokens.MIN_LENGTH || !token.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException(
          "--token-file "
              + file
              + ": expected one token of at least "
              + Tokens.MIN_LENGTH
              + " characters of A-Z a-z 0-9 _ -");
    }
    return token;
  }
}
