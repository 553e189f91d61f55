package dev.splitlearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * splitlearn plan on a synthetic characterisation and a device chain (no training), and its bad
 * input.
 */
class PlanCommandTest {
  @TempDir static Path dir;
  static Path grid;

  record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  /**
   * k=1: accuracy 0.90 + 0.02 ln c, SSIM 0.80 + 0.03 ln c; k=2: 0.88 + 0.02 ln c, 0.60 + 0.05 ln c.
   */
  @BeforeAll
  static void grid() throws Exception {
    StringBuilder csv = new StringBuilder(CharacterizeCommand.CSV_HEADER).append('\n');
    for (int k = 1; k <= 2; k++) {
      for (int c : new int[] {2, 8, 32}) {
        double acc = (k == 1 ? 0.90 : 0.88) + 0.02 * Math.log(c);
        double ssim = (k == 1 ? 0.80 : 0.60) + (k == 1 ? 0.03 : 0.05) * Math.log(c);
        csv.append(
            String.format(
                Locale.ROOT,
                "%d,%d,ranked,x,%.6f,%.6f,12.0,0.9,1.0,1000,5000.0,true,runs/x,1,0,0%n",
                k,
                c,
                acc,
                ssim));
      }
    }
    grid = dir.resolve("grid");
    Files.createDirectories(grid);
    Files.writeString(grid.resolve("characterize.csv"), csv);
  }

  @Test
  void choosesTheMostAccurateWithinTheLimitsAndWritesThePlan() throws Exception {
    Path out = dir.resolve("plan");
    // k=1 leaks >= 0.80; k=2 stays <= 0.75 while ln c <= 3, so c <= 20
    Result r =
        run(
            "plan",
            "--characterization",
            grid.toString(),
            "--max-ssim",
            "0.75",
            "--bandwidth",
            "10mbit",
            "--latency",
            "20ms",
            "--out",
            out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("chosen: k=2 c=20 (of 64 channels)"), r.out());
    assertTrue(
        r.out().contains("fit error on 2 held-out measured points: accuracy RMSE 0.00 pp"),
        r.out());
    JsonNode plan = new ObjectMapper().readTree(out.resolve("plan.json").toFile());
    assertEquals(2, plan.at("/chosen/k").asInt());
    assertEquals(20, plan.at("/chosen/c").asInt());
    assertEquals(
        0.88 + 0.02 * Math.log(20), plan.at("/chosen/predicted_accuracy").asDouble(), 1e-5);
    assertEquals(0.02, plan.at("/fit/lines/k2/accuracy_coefficients/1").asDouble(), 1e-5);
    assertEquals(
        List.of("k=1 c=8", "k=2 c=8"),
        List.of(plan.at("/fit/held_out/0").asText(), plan.at("/fit/held_out/1").asText()));
    // the exact costs: k=2 runs conv1, the 20 kept of conv2's 64 filters and the classifier fc2,
    // 2 x (800 x 784 + 51200 x 196 x 20 / 64 + 5120)
    assertEquals(7.536640, plan.at("/chosen/client_mflops_per_sample").asDouble(), 1e-9);
    // one step of 64: 20 x 49 floats up, 512 down, 512 up, an empty gradient down, each with its
    // header
    long step =
        (6 + 8 + 1 + (1 + 16 + 1 + 4L * 64 * 980) + 4)
            + (6 + 8 + (1 + 16 + 1 + 4L * 64 * 512))
            + (6 + 8 + 4 + (1 + 16 + 1 + 4L * 64 * 512))
            + (6 + 8 + 4 + (1 + 8 + 1));
    assertEquals(step / 64.0, plan.at("/chosen/wire_bytes_per_sample").asDouble(), 1e-9);
    assertEquals(
        step / 64.0 * 8 / 10e6 * 1e3 + 4 * 20.0 / 64,
        plan.at("/chosen/ms_per_sample").asDouble(),
        1e-9);
    assertEquals(1 + 32 + 64, Files.readAllLines(out.resolve("candidates.csv")).size());

    r =
        run(
            "plan",
            "--characterization",
            grid.resolve("characterize.csv").toString(),
            "--max-client-kb",
            "100",
            "--out",
            out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("chosen: k=1 c=32 (of 32 channels)"), r.out());
  }

  @Test
  void candidateCostsPerKEqualEachTopologyBuiltAlone() {
    dev.splitlearn.models.ModelSpec spec = PlanCosts.spec("mnist", "mnist-cnn", null);
    for (int k = 1; k <= 2; k++) {
      List<dev.splitlearn.models.planner.Candidate> all =
          PlanCosts.candidates(spec, k, 32, 1e6, 0.01);
      assertEquals(k == 1 ? 32 : 64, all.size());
      for (int c : new int[] {1, 5, 17, all.size()}) {
        assertEquals(
            PlanCosts.candidate(spec, k, c, 32, 1e6, 0.01), all.get(c - 1), "k=" + k + " c=" + c);
      }
      // block k is pruned to the kept filters: fewer channels, less client work and memory
      assertTrue(all.get(0).clientForwardFlops() < all.get(all.size() - 1).clientForwardFlops());
      assertTrue(
          all.get(0).clientParameterBytes() < all.get(all.size() - 1).clientParameterBytes());
    }
  }

  private static void assertOneLineError(Result r, int code, String... fragments) {
    assertEquals(code, r.code(), r.err());
    String first = r.err().lines().findFirst().orElse("");
    assertTrue(first.startsWith("splitlearn: error: "), r.err());
    for (String f : fragments) {
      assertTrue(first.contains(f), "'" + f + "' missing from: " + first);
    }
  }

  @Test
  void badFlagsAndLimitsGiveOneLineErrorsNamingTheFlag() throws Exception {
    String g = grid.toString();
    String out = dir.resolve("bad").toString();
    assertOneLineError(
        run("plan", "--out", out), ExitCode.USAGE, "--characterization", "--devices", "neither");
    assertOneLineError(
        run("plan", "--characterization", g, "--devices", "x.yaml", "--out", out),
        ExitCode.USAGE,
        "not both");
    assertOneLineError(
        run("plan", "--characterization", g, "--bandwidth", "10mbps", "--out", out),
        ExitCode.USAGE,
        "--bandwidth must be a rate");
    assertOneLineError(
        run("plan", "--characterization", g, "--latency", "20", "--out", out),
        ExitCode.USAGE,
        "--latency must be a delay");
    assertOneLineError(
        run("plan", "--characterization", g, "--max-ssim", "-3", "--out", out),
        ExitCode.USAGE,
        "--max-ssim must be >= -1");
    assertOneLineError(
        run("plan", "--characterization", g, "--max-client-mflops", "lots", "--out", out),
        ExitCode.USAGE,
        "--max-client-mflops");
    assertOneLineError(
        run("plan", "--characterization", g, "--fit-points", "1", "--out", out),
        ExitCode.USAGE,
        "--fit-points must be >= 2");
    assertOneLineError(
        run("plan", "--characterization", g, "--fit-degree", "2", "--out", out),
        ExitCode.USAGE,
        "--fit-points must be >= 3 with --fit-degree 2");
    assertOneLineError(
        run("plan", "--characterization", g, "--fit-degree", "3", "--out", out),
        ExitCode.USAGE,
        "--fit-degree must be 1");
    assertOneLineError(
        run("plan", "--characterization", g, "--batch", "0", "--out", out),
        ExitCode.USAGE,
        "--batch must be >= 1");
    assertOneLineError(
        run("plan", "--characterization", dir.resolve("none").toString(), "--out", out),
        ExitCode.INPUT,
        "--characterization");
    assertOneLineError(
        run("plan", "--characterization", g, "--measure", "--out", out),
        ExitCode.INPUT,
        "--measure needs characterize.json");
    assertOneLineError(
        run("plan", "--characterization", g, "--max-ssim", "0.5", "--out", out),
        ExitCode.USAGE,
        "no topology meets the limits: --max-ssim 0.5 is binding");
    assertOneLineError(
        run(
            "plan",
            "--characterization",
            g,
            "--max-ssim",
            "0.75",
            "--max-client-kb",
            "25",
            "--out",
            out),
        ExitCode.USAGE,
        "--max-ssim 0.75 is binding",
        "--max-client-kb 25 is binding");
    Path wrong = dir.resolve("wrong.csv");
    Files.writeString(
        wrong,
        CharacterizeCommand.CSV_HEADER
            + "\n1,40,ranked,x,0.9,0.5,1,1,1,1,1,true,r,1,0,0\n"
            + "1,2,ranked,x,0.8,0.4,1,1,1,1,1,true,r,1,0,0\n");
    assertOneLineError(
        run("plan", "--characterization", wrong.toString(), "--out", out),
        ExitCode.USAGE,
        "k=1 c=40 is not a topology of mnist-cnn");
    Path notCsv = dir.resolve("other.csv");
    Files.writeString(notCsv, "a,b\n1,2\n");
    assertOneLineError(
        run("plan", "--characterization", notCsv.toString(), "--out", out),
        ExitCode.INPUT,
        "no column k");
    assertOneLineError(
        run("plan", "--devices", "nothing.yaml", "--max-ssim", "0.3", "--out", out),
        ExitCode.USAGE,
        "--max-ssim is for --characterization");
  }

  @Test
  void slicesTheModelOverADeviceChain() throws Exception {
    Path chain = dir.resolve("chain.yaml");
    Files.writeString(
        chain,
        "devices:\n  - {name: sensor, gflops: 0.2, memory-mb: 4}\n"
            + "  - {name: phone, gflops: 5, memory-mb: 16}\n  - {name: server, gflops: 500}\n"
            + "links:\n  - {bandwidth: 2mbit, latency: 5ms}\n  - {bandwidth: 10mbit, latency: 20ms}\n");
    Path out = dir.resolve("slice");
    Result r = run("plan", "--devices", chain.toString(), "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode plan = new ObjectMapper().readTree(out.resolve("plan.json").toFile());
    // fc1 (1.6 M parameters, 25 MB with gradients and Adam) fits neither sensor nor phone: the
    // server runs it
    assertEquals("[\"conv1\",\"conv2\"]", plan.get("cuts_after").toString(), r.out());
    double total = 0;
    for (JsonNode d : plan.get("devices")) {
      total += d.get("compute_ms_per_sample").asDouble() + d.path("link_ms_per_sample").asDouble(0);
    }
    assertEquals(total, plan.get("ms_per_sample").asDouble(), 1e-9);
    // conv1 on the sensor: 3 x 1,254,400 FLOPs at 0.2 GFLOP/s
    assertEquals(
        3 * 1_254_400 / 0.2e9 * 1e3, plan.at("/devices/0/compute_ms_per_sample").asDouble(), 1e-9);

    List<String[]> bad = new ArrayList<>();
    bad.add(
        new String[] {
          "devices:\n  - {name: a, gflops: 1, memory-mb: 4, speed: 3}\n  - {gflops: 9}\nlinks: []\n",
          "devices[0].speed is unknown"
        });
    bad.add(
        new String[] {
          "devices:\n  - {name: a, memory-mb: 4}\n  - {gflops: 9}\nlinks:\n"
              + "  - {bandwidth: 1mbit, latency: 1ms}\n",
          "devices[0].gflops is missing"
        });
    bad.add(
        new String[] {
          "devices:\n  - {name: a, gflops: 1}\n  - {gflops: 9}\nlinks:\n"
              + "  - {bandwidth: 1mbit, latency: 1ms}\n",
          "devices[0].memory-mb is missing"
        });
    bad.add(
        new String[] {
          "devices:\n  - {name: a, gflops: 1, memory-mb: 4}\n  - {gflops: 9}\nlinks: []\n",
          "links must list 1"
        });
    bad.add(
        new String[] {
          "devices:\n  - {name: a, gflops: 1, memory-mb: 4}\n  - {gflops: 9}\nlinks:\n"
              + "  - {bandwidth: fast, latency: 1ms}\n",
          "links[0].bandwidth must be a rate"
        });
    bad.add(
        new String[] {
          "devices:\n  - {name: a, gflops: 1, memory-mb: 0.01}\n  - {gflops: 9}\nlinks:\n"
              + "  - {bandwidth: 1mbit, latency: 1ms}\n",
          "data holder a cannot run the first stage conv1"
        });
    for (String[] b : bad) {
      Files.writeString(chain, b[0]);
      assertOneLineError(
          run("plan", "--devices", chain.toString(), "--out", out.toString()),
          ExitCode.USAGE,
          b[1]);
    }
    assertOneLineError(
        run("plan", "--devices", dir.resolve("absent.yaml").toString(), "--out", out.toString()),
        ExitCode.INPUT,
        "--devices");
  }
}
