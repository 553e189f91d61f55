package dev.splitlearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server and clients as separate processes on loopback, started by {@code train --transport grpc}.
 */
class ProcessesTest {
  @TempDir Path dir;

  private Path tinyMnist(int n) throws IOException {
    return TinyMnist.write(dir.resolve("data"), n);
  }

  private record Result(int code, String err) {}

  private Result run(String... args) {
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
    return new Result(code, err.toString());
  }

  @Test
  @SuppressWarnings("unchecked")
  void grpcProcessesGiveTheInProcessNumbers() throws Exception {
    Path data = tinyMnist(96);
    String[] common = {
      "--data-dir",
      data.toString(),
      "--clients",
      "2",
      "--epochs",
      "2",
      "--batch",
      "16",
      "--no-progress",
      // one kernel state for every party: this JVM's guard may have switched oneDNN off for an
      // earlier test's model, while the child processes' guards start afresh
      "--onednn",
      "off"
    };
    Result in = run(concat(new String[] {"train", "--out", dir.resolve("in").toString()}, common));
    assertEquals(ExitCode.OK, in.code(), in.err());
    Result grpc =
        run(
            concat(
                new String[] {
                  "train", "--transport", "grpc", "--out", dir.resolve("grpc").toString()
                },
                common));
    assertEquals(ExitCode.OK, grpc.code(), grpc.err());
    ObjectMapper json = new ObjectMapper();
    Map<String, Object> a = json.readValue(dir.resolve("in/results.json").toFile(), Map.class);
    Map<String, Object> b = json.readValue(dir.resolve("grpc/results.json").toFile(), Map.class);
    // with one kernel state the numbers were bit for bit the same here (Zen 5, natively and with
    // the kernels capped at AVX2); another machine's libraries may still lay out or split work
    // differently per process, so equality is to float rounding: losses to 1e-5 relative, accuracy
    // to one of the 96 test images
    assertEquals(
        ((Number) a.get("test_accuracy")).doubleValue(),
        ((Number) b.get("test_accuracy")).doubleValue(),
        1.0 / 96 + 1e-9,
        "accuracy");
    for (int e = 0; e < 2; e++) {
      double la =
          ((Number)
                  ((Map<String, Object>) ((java.util.List<?>) a.get("per_epoch")).get(e))
                      .get("trainLoss"))
              .doubleValue();
      double lb =
          ((Number)
                  ((Map<String, Object>) ((java.util.List<?>) b.get("per_epoch")).get(e))
                      .get("trainLoss"))
              .doubleValue();
      assertEquals(la, lb, 1e-5 * Math.abs(la), "epoch " + (e + 1) + " loss");
    }
    assertTrue(
        Files.isRegularFile(dir.resolve("grpc/server/results.json")),
        "the server wrote its results");
    assertTrue(
        Files.isRegularFile(dir.resolve("grpc/client-1/checkpoints/client-1-state.json")),
        "client checkpoint");
  }

  @Test
  void aClientWithAnotherPlanIsRefusedInOneLine() throws Exception {
    Path data = tinyMnist(32);
    var plan =
        dev.splitlearn.models.ModelZoo.get("mnist-cnn", new long[] {1, 28, 28}, 10)
            .plan(dev.splitlearn.models.Protocol.U_SHAPED);
    try (var server =
            new dev.splitlearn.core.server.SplitServerRuntime(
                plan,
                1,
                dev.splitlearn.core.party.OptimizerSpec.adam(1e-3f),
                null,
                new dev.splitlearn.core.server.ServerConfig(
                    1,
                    dev.splitlearn.core.protocol.Schedule.PARALLEL,
                    1,
                    1,
                    true,
                    java.time.Duration.ofSeconds(20),
                    null,
                    false));
        var grpc = dev.splitlearn.transport.grpc.GrpcServer.start(server, "127.0.0.1", 0)) {
      Result r =
          run(
              "client",
              "--server",
              "127.0.0.1:" + grpc.port(),
              "--client-id",
              "0",
              "--data-dir",
              data.toString(),
              "--clients",
              "1",
              "--model",
              "cifar-resnet8",
              "--request-timeout",
              "60",
              "--out",
              dir.resolve("c").toString());
      assertEquals(ExitCode.FAILURE, r.code(), r.err());
      String first =
          r.err()
              .lines()
              .filter(l -> l.startsWith("splitlearn: error:"))
              .findFirst()
              .orElse(r.err());
      assertTrue(
          first.contains("ABORTED")
              && first.contains("cifar-resnet8")
              && first.contains("mnist-cnn"),
          first);
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
