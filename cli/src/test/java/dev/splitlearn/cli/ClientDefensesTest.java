package dev.splitlearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.protocol.FrameTap;
import dev.splitlearn.core.protocol.FrameTapReader;
import dev.splitlearn.core.protocol.Message;
import dev.splitlearn.core.protocol.Schedule;
import dev.splitlearn.core.server.ServerConfig;
import dev.splitlearn.core.server.SplitServerRuntime;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Protocol;
import dev.splitlearn.models.SplitPlan;
import dev.splitlearn.privacy.ActivationDpAccounting;
import dev.splitlearn.transport.grpc.GrpcServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-client defenses from the config file reach each client (in-process and {@code splitlearn
 * client}) and results.json; bad entries are one-line errors naming the entry and key; the server's
 * DP on the returned gradient is applied, accounted and refused where it does not apply.
 */
class ClientDefensesTest {
  @TempDir Path dir;

  private record Result(int code, String err) {}

  private Result run(String... args) {
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
    return new Result(code, err.toString());
  }

  private Path config(String name, String yaml) throws IOException {
    Path data = TinyMnist.write(dir.resolve("data"), 64);
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(
        file,
        "data-dir: " + data + "\nepochs: 1\nbatch: 32\nclients: 2\nno-progress: true\n" + yaml);
    return file;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> results(String out) throws IOException {
    return new ObjectMapper()
        .readValue(dir.resolve(out).resolve("results.json").toFile(), Map.class);
  }

  private static void assertOneLineError(Result r, String... parts) {
    assertNotEquals(0, r.code(), r.err());
    String first = r.err().lines().findFirst().orElse("");
    assertTrue(first.startsWith("splitlearn: error: "), r.err());
    for (String p : parts) {
      assertTrue(first.contains(p), "'" + p + "' missing from: " + first);
    }
  }

  @SuppressWarnings("unchecked")
  @Test
  void eachClientTakesItsOwnEntryOrTheRunsFlagsAndResultsSayWhich() throws IOException {
    Path cfg =
        config(
            "mixed",
            "top-k: 0.5\nclient-defenses:\n  - id: 1\n    noise: gaussian:0.5\n    top-k: 0\n"
                + "    nopeek: 0.25\n    dp-clip: 1\n    dp-noise: 2\n");
    Path tap = dir.resolve("mixed.tap");
    Result r =
        run(
            "train",
            "--config",
            cfg.toString(),
            "--tap",
            tap.toString(),
            "--out",
            dir.resolve("mixed").toString());
    assertEquals(0, r.code(), r.err());
    Map<String, Object> config = (Map<String, Object>) results("mixed").get("config");
    List<Map<String, Object>> clients = (List<Map<String, Object>>) config.get("client_defenses");
    assertEquals(2, clients.size());
    Map<String, Object> c0 = clients.get(0);
    Map<String, Object> c1 = clients.get(1);
    assertEquals("run flags", c0.get("source"));
    assertEquals(List.of("top-k"), kinds(c0));
    assertEquals("sparse", ((Map<String, Object>) c0.get("defenses")).get("wire"));
    assertEquals("client-defenses", c1.get("source"));
    assertEquals(0.25, ((Number) c1.get("nopeek")).doubleValue());
    assertEquals(
        List.of("gaussian-dp", "gaussian-noise"),
        kinds(c1),
        "top-k: 0 switches the run's top-k off");
    Map<String, Object> privacy = (Map<String, Object>) c1.get("privacy");
    double eps =
        ((Number) ((List<Map<String, Object>>) privacy.get("per_epoch")).get(0).get("epsilon"))
            .doubleValue();
    assertEquals(ActivationDpAccounting.epsilon(2, 1e-5, 1), eps, 1e-12);
    assertNull(c0.get("privacy"));
    assertNull(results("mixed").get("privacy"), "no run-wide privacy section when clients differ");
    // what the server received: client 0's rows at most half non-zero, client 1's all noisy (none
    // zero)
    int[] sparseRows = new int[2];
    int[] rows = new int[2];
    for (FrameTapReader.Frame f : FrameTapReader.frames(tap, FrameTap.TO_SERVER)) {
      if (f.decode() instanceof Message.Forward fw && fw.training()) {
        float[] v = fw.activations().data();
        int n = (int) fw.activations().batch();
        int d = v.length / n;
        for (int row = 0; row < n; row++) {
          int nonZero = 0;
          for (int i = row * d; i < (row + 1) * d; i++) {
            nonZero += v[i] != 0 ? 1 : 0;
          }
          rows[fw.clientId()]++;
          sparseRows[fw.clientId()] += nonZero <= (d + 1) / 2 ? 1 : 0;
        }
      }
    }
    assertTrue(
        rows[0] > 0 && sparseRows[0] == rows[0],
        "client 0 sends top-k: " + sparseRows[0] + "/" + rows[0]);
    assertTrue(
        rows[1] > 0 && sparseRows[1] == 0, "client 1 sends noise on every entry: " + sparseRows[1]);
  }

  @SuppressWarnings("unchecked")
  private static List<String> kinds(Map<String, Object> client) {
    Map<String, Object> d = (Map<String, Object>) client.get("defenses");
    return ((List<Map<String, Object>>) d.get("order"))
        .stream().map(m -> (String) m.get("kind")).toList();
  }

  @Test
  void badEntriesAreOneLineErrorsNamingEntryAndKey() throws IOException {
    String[][] cases = {
      {
        "client-defenses:\n  - id: 0\n    noize: gaussian:1\n",
        "client-defenses[0]",
        "unknown key 'noize'"
      },
      {"client-defenses:\n  - nopeek: 1\n", "client-defenses[0]", "'id'"},
      {"client-defenses:\n  - id: 2\n", "client-defenses[0].id", "0..1"},
      {"client-defenses:\n  - id: 0\n  - id: 0\n", "client-defenses[1].id", "client 0"},
      {"client-defenses:\n  - id: 1\n    top-k: 1.5\n", "client-defenses[0] (client 1)", "--top-k"},
      {
        "client-defenses:\n  - id: 0\n    quantize: lots\n", "client-defenses[0].quantize", "number"
      },
      {"client-defenses:\n  - id: 0\n    dp-clip: 1\n", "client-defenses[0]", "--dp-noise"},
      {"client-defenses: 3\n", "client-defenses", "list"},
      {"client-defenses:\n  - 7\n", "client-defenses[0]", "map"},
    };
    int i = 0;
    for (String[] c : cases) {
      Path cfg = config("bad" + i++, c[0]);
      assertOneLineError(
          run("train", "--config", cfg.toString(), "--out", dir.resolve("bad").toString()),
          c[1],
          c[2]);
    }
  }

  @SuppressWarnings("unchecked")
  @Test
  void aClientProcessUsesItsOwnEntryAndLaysItsActivationsOutForIt() throws Exception {
    Path cfg = config("own", "client-defenses:\n  - id: 0\n    quantize: 3\n");
    SplitPlan plan = ModelZoo.get("mnist-cnn", new long[] {1, 28, 28}, 10).plan(Protocol.U_SHAPED);
    Path tap = dir.resolve("own.tap");
    try (SplitServerRuntime server =
            new SplitServerRuntime(
                plan,
                1,
                OptimizerSpec.adam(1e-3f),
                null,
                new ServerConfig(
                    1, Schedule.PARALLEL, 1, 1, true, Duration.ofSeconds(60), null, false));
        FrameTap recorder = new FrameTap(server, tap, 1L << 30);
        GrpcServer grpc = GrpcServer.start(recorder, "127.0.0.1", 0)) {
      Result r =
          run(
              "client",
              "--config",
              cfg.toString(),
              "--clients",
              "1",
              "--server",
              "127.0.0.1:" + grpc.port(),
              "--client-id",
              "0",
              "--out",
              dir.resolve("own").toString());
      assertEquals(0, r.code(), r.err());
    }
    Map<String, Object> config = (Map<String, Object>) results("own").get("config");
    assertEquals("client-defenses", config.get("defenses_from"));
    assertEquals("packed-3", ((Map<String, Object>) config.get("defenses")).get("wire"));
    int packed = 0;
    for (FrameTapReader.Frame f : FrameTapReader.frames(tap, FrameTap.TO_SERVER)) {
      Message m = f.decode();
      if (m instanceof Message.Hello h) {
        assertEquals("packed-3", h.activations().cliName(), "announced in the handshake");
      }
      if (m instanceof Message.Forward) {
        int rank = f.frame()[1 + 1 + 4 + 8 + 1];
        assertEquals(4, f.frame()[1 + 1 + 4 + 8 + 1 + 1 + 8 * rank], "encoding byte: packed");
        packed++;
      }
    }
    assertTrue(packed > 0);
  }

  @SuppressWarnings("unchecked")
  @Test
  void theServerClipsAndNoisesTheReturnedGradientAndReportsEpsilon() throws IOException {
    Path cfg = config("gdp", "protocol: vanilla\n");
    Path tap = dir.resolve("gdp.tap");
    Result r =
        run(
            "train",
            "--config",
            cfg.toString(),
            "--grad-dp-clip",
            "0.001",
            "--grad-dp-noise",
            "1.5",
            "--grad-dp-seed",
            "run",
            "--tap",
            tap.toString(),
            "--out",
            dir.resolve("gdp").toString());
    assertEquals(0, r.code(), r.err());
    Map<String, Object> results = results("gdp");
    Map<String, Object> gp = (Map<String, Object>) results.get("gradient_privacy");
    double eps =
        ((Number) ((List<Map<String, Object>>) gp.get("per_epoch")).get(0).get("epsilon"))
            .doubleValue();
    assertEquals(ActivationDpAccounting.epsilon(1.5, 1e-5, 1), eps, 1e-12);
    assertEquals(0.002, ((Number) gp.get("l2_sensitivity")).doubleValue(), 1e-12);
    assertEquals(
        "run:1",
        ((Map<String, Object>) ((Map<String, Object>) results.get("config")).get("gradient_dp"))
            .get("noise_seed"));
    // every returned row: clipped to 0.001 plus noise of std 0.0015 per entry
    assertEveryGradientNoised(tap, FrameTap.TO_CLIENT, 0.001, 0.0015);
  }

  /**
   * Every gradient the tap saw going {@code direction}: rows clipped to {@code clip} plus noise of
   * deviation {@code std} per entry, so the sample deviation of its entries is {@code std} within
   * 5% plus what the clipped rows add (at most {@code clip / sqrt(row width)}).
   */
  private static void assertEveryGradientNoised(Path tap, int direction, double clip, double std)
      throws IOException {
    int gradients = 0;
    for (FrameTapReader.Frame f : FrameTapReader.frames(tap, direction)) {
      if (f.decode() instanceof Message.Gradient g) {
        float[] v = g.gradient().data();
        double s = 0;
        for (float x : v) {
          s += (double) x * x;
        }
        assertEquals(
            std,
            Math.sqrt(s / v.length),
            std * 0.05 + clip / Math.sqrt(v.length / g.gradient().batch()),
            "per-entry deviation of gradient " + gradients);
        gradients++;
      }
    }
    assertTrue(gradients >= 2, "gradients seen: " + gradients);
  }

  @SuppressWarnings("unchecked")
  @Test
  void aUShapedClientClipsAndNoisesTheCloudOutputsGradientItSends() throws IOException {
    Path cfg = config("ugdp", "protocol: u-shaped\n");
    Path tap = dir.resolve("ugdp.tap");
    Result r =
        run(
            "train",
            "--config",
            cfg.toString(),
            "--grad-dp-clip",
            "0.002",
            "--grad-dp-noise",
            "2",
            "--grad-dp-seed",
            "run",
            "--tap",
            tap.toString(),
            "--out",
            dir.resolve("ugdp").toString());
    assertEquals(0, r.code(), r.err());
    Map<String, Object> results = results("ugdp");
    Map<String, Object> gp = (Map<String, Object>) results.get("gradient_privacy");
    assertTrue(((String) gp.get("mechanism")).contains("client side"), gp.toString());
    double eps =
        ((Number) ((List<Map<String, Object>>) gp.get("per_epoch")).get(0).get("epsilon"))
            .doubleValue();
    assertEquals(ActivationDpAccounting.epsilon(2, 1e-5, 1), eps, 1e-12);
    Map<String, Object> described =
        (Map<String, Object>) ((Map<String, Object>) results.get("config")).get("gradient_dp");
    assertTrue(((String) described.get("applied_by")).startsWith("client"), described.toString());
    // what the server receives: each cloud-output gradient row clipped to 0.002, noise of std 0.004
    assertEveryGradientNoised(tap, FrameTap.TO_SERVER, 0.002, 0.004);
  }

  @Test
  void gradientDpIsRefusedWhereItDoesNotApply() throws IOException {
    Path cfg = config("gbad", "");
    assertOneLineError(
        run(
            "train",
            "--config",
            cfg.toString(),
            "--he",
            "ckks",
            "--grad-dp-clip",
            "1",
            "--grad-dp-noise",
            "1",
            "--out",
            dir.resolve("gbad").toString()),
        "--grad-dp-clip",
        "--he-dp-clip");
    assertOneLineError(
        run(
            "train",
            "--config",
            cfg.toString(),
            "--protocol",
            "vanilla",
            "--grad-dp-clip",
            "1",
            "--out",
            dir.resolve("gbad").toString()),
        "--grad-dp-noise");
    assertOneLineError(
        run(
            "train",
            "--config",
            cfg.toString(),
            "--protocol",
            "vanilla",
            "--grad-dp-clip",
            "1",
            "--grad-dp-noise",
            "1",
            "--grad-dp-seed",
            "lucky",
            "--out",
            dir.resolve("gbad").toString()),
        "--grad-dp-seed");
    assertOneLineError(
        run(
            "train",
            "--config",
            cfg.toString(),
            "--protocol",
            "vanilla",
            "--grad-dp-clip",
            "1",
            "--grad-dp-noise",
            "-1",
            "--out",
            dir.resolve("gbad").toString()),
        "--grad-dp-noise");
  }
}
