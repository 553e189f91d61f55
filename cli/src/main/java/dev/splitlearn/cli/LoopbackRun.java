package dev.splitlearn.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitlearn.core.kernels.Machine;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code splitlearn train --transport grpc}: the same run as in-process, with the server and each
 * client in its own process, talking gRPC on loopback. Starts {@code splitlearn server} and {@code
 * splitlearn client} with the user's own options, waits for them, and merges their results.json
 * files into OUT/results.json. Each process's output goes to OUT/NAME.log; the evaluating client's
 * also to this terminal.
 */
final class LoopbackRun {
  private final List<String> args;
  private final TrainOptions o;
  private final PrintWriter err;
  private Path tap;
  private long tapMaxMb;

  /** {@code args}: the user's train arguments. */
  LoopbackRun(List<String> args, TrainOptions options, PrintWriter err) {
    int train = args.indexOf("train"); // the original arguments start with the command's name
    this.args = train >= 0 ? args.subList(train + 1, args.size()) : args;
    this.o = options;
    this.err = err;
  }

  /**
   * Makes the server process record what it sees into {@code file} ({@code splitlearn server
   * --tap}).
   */
  LoopbackRun tap(Path file, long maxMb) {
    this.tap = file;
    this.tapMaxMb = maxMb;
    return this;
  }

  Path run() throws IOException, InterruptedException {
    if (!o.baseline.equals("none")) {
      throw new IllegalArgumentException(
          "--baseline runs in-process only; drop it or use --transport in-process");
    }
    List<String> shared = sharedArgs();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Files.createDirectories(o.out);
    int evaluator = o.schedule.equals("sequential") ? o.clients - 1 : 0;
    List<Process> processes = new ArrayList<>();
    List<String> names = new ArrayList<>();
    try {
      List<String> server =
          new ArrayList<>(
              List.of(
                  "--port", Integer.toString(port), "--out", o.out.resolve("server").toString()));
      if (tap != null) {
        server.addAll(List.of("--tap", tap.toString(), "--tap-max-mb", Long.toString(tapMaxMb)));
      }
      processes.add(start("server", shared, server, false));
      names.add("server");
      for (int i = 0; i < o.clients; i++) {
        List<String> own =
            new ArrayList<>(
                List.of(
                    "--server",
                    "127.0.0.1:" + port,
                    "--client-id",
                    Integer.toString(i),
                    "--out",
                    o.out.resolve("client-" + i).toString()));
        if (i != evaluator) {
          own.add("--no-evaluate");
        }
        processes.add(start("client", shared, own, i == evaluator));
        names.add("client-" + i);
      }
      awaitAll(processes, names);
    } finally {
      for (Process p : processes) {
        p.destroyForcibly();
      }
    }
    Path file = o.out.resolve("results.json");
    Runner.writeAtomically(file, merge(evaluator));
    return file;
  }

  /**
   * Waits until every process has exited; the first to fail (a non-zero exit, e.g. a server that
   * cannot bind its port, or a refused client) ends the run at once instead of leaving the others
   * to time out.
   */
  private void awaitAll(List<Process> processes, List<String> names)
      throws IOException, InterruptedException {
    boolean running = true;
    while (running) {
      running = false;
      for (int i = 0; i < processes.size(); i++) {
        Process p = processes.get(i);
        if (p.isAlive()) {
          running = true;
        } else if (p.exitValue() != 0) {
          throw new IOException(
              names.get(i)
                  + " exited with code "
                  + p.exitValue()
                  + "; see "
                  + o.out.resolve(names.get(i) + ".log"));
        }
      }
      if (running) {
        Thread.sleep(200);
      }
    }
  }

  /** The user's arguments without those this run sets per process. */
  private List<String> sharedArgs() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      if (List.of("--transport", "--out", "--baseline", "--tap", "--tap-max-mb").contains(name)) {
        if (!a.contains("=")) {
          i++;
        }
        continue;
      }
      out.add(a);
    }
    if (!out.contains("--no-progress")) {
      out.add("--no-progress");
    }
    return out;
  }

  private Process start(String command, List<String> shared, List<String> own, boolean showOutput)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx4g");
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
      cmd.add("--add-modules=jdk.incubator.vector"); // the parties' HE as fast as this JVM's
    }
    String home = System.getProperty("splitlearn.home");
    if (home != null) {
      cmd.add("-Dsplitlearn.home=" + home);
    }
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.add(command);
    cmd.addAll(shared);
    cmd.addAll(own);
    String name =
        command.equals("server") ? "server" : "client-" + own.get(own.indexOf("--client-id") + 1);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("DJL_OFFLINE", "true");
    pb.environment().put("OPT_OUT_TRACKING", "true");
    // three processes share the cores and take turns: idle OpenMP threads must sleep, not spin
    // (measured: a 2-client MNIST epoch 26.8 s with spinning, 11.4 s without)
    pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
    File log = o.out.resolve(name + ".log").toFile();
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log));
    pb.redirectError(
        showOutput ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.appendTo(log));
    return pb.start();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> merge(int evaluator) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Map<String, Object> server =
        json.readValue(o.out.resolve("server/results.json").toFile(), Map.class);
    List<Map<String, Object>> clients = new ArrayList<>();
    for (int i = 0; i < o.clients; i++) {
      clients.add(
          json.readValue(o.out.resolve("client-" + i + "/results.json").toFile(), Map.class));
    }
    Map<String, Object> eval = clients.get(evaluator);
    List<Map<String, Object>> perEpoch = new ArrayList<>();
    List<Map<String, Object>> evalEpochs = (List<Map<String, Object>>) eval.get("per_epoch");
    long up = 0;
    long down = 0;
    for (int e = 0; e < evalEpochs.size(); e++) {
      double lossSum = 0;
      long steps = 0;
      double seconds = 0;
      long epochUp = 0;
      long epochDown = 0;
      for (Map<String, Object> c : clients) {
        Map<String, Object> ce = ((List<Map<String, Object>>) c.get("per_epoch")).get(e);
        long n = ((Number) ce.get("steps")).longValue();
        lossSum += ((Number) ce.get("train_loss")).doubleValue() * n;
        steps += n;
        seconds = Math.max(seconds, ((Number) ce.get("seconds")).doubleValue());
        epochUp += ((Number) ce.get("bytes_up")).longValue();
        epochDown += ((Number) ce.get("bytes_down")).longValue();
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("phase", "split");
      m.put("epoch", evalEpochs.get(e).get("epoch"));
      m.put("trainLoss", lossSum / Math.max(1, steps));
      m.put("testAccuracy", evalEpochs.get(e).get("test_accuracy"));
      m.put("seconds", seconds);
      m.put("trainBytesUp", epochUp);
      m.put("trainBytesDown", epochDown);
      perEpoch.add(m);
    }
    for (Map<String, Object> c : clients) {
      up += ((Number) c.get("bytes_client_to_server")).longValue();
      down += ((Number) c.get("bytes_server_to_client")).longValue();
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("test_accuracy", eval.get("test_accuracy"));
    r.put("epochs", perEpoch.size());
    r.put(
        "seconds_per_epoch",
        perEpoch.stream().mapToDouble(m -> (Double) m.get("seconds")).average().orElse(0));
    r.put("bytes_client_to_server", up);
    r.put("bytes_server_to_client", down);
    r.put("per_class", eval.get("per_class"));
    r.put("per_epoch", perEpoch);
    if (eval.get("privacy") != null && o.clientDefenses().isEmpty()) {
      r.put(
          "privacy",
          eval.get(
              "privacy")); // every client spends the same: the evaluator's figures stand for all
    }
    Object gradientPrivacy =
        server.get("gradient_privacy") != null
            ? server.get("gradient_privacy")
            : eval.get(
                "gradient_privacy"); // vanilla: the server's mechanism; u-shaped: every client's,
    // the same settings
    if (gradientPrivacy != null) {
      r.put("gradient_privacy", gradientPrivacy);
    }
    r.put("clients", clients);
    r.put("server", server);
    r.put("transport", "grpc (loopback, one process per party)");
    r.put("machine", Machine.current().toMap());
    r.put("finished", Instant.now().toString());
    return r;
  }
}
