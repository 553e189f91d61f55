package dev.splitlearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code splitlearn crowd}: config errors in one line, and a tiny crowd end to end. */
class CrowdCommandTest {
  @TempDir Path dir;

  private int run(StringWriter err, String... args) {
    return Main.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
  }

  @Test
  void aBadKeyIsNamedInOneLine() throws IOException {
    Path config =
        Files.writeString(dir.resolve("crowd.yaml"), "devices: 100\ndevice:\n  uplink-mbps: -3\n");
    StringWriter err = new StringWriter();
    assertEquals(
        ExitCode.USAGE, run(err, "crowd", "--config", config.toString(), "--out", dir.toString()));
    String first = err.toString().lines().findFirst().orElse("");
    assertTrue(
        first.startsWith("splitlearn: error: " + config + ": 'device.uplink-mbps'"),
        err.toString());
    StringWriter missing = new StringWriter();
    assertEquals(
        ExitCode.INPUT,
        run(
            missing,
            "crowd",
            "--config",
            dir.resolve("none.yaml").toString(),
            "--out",
            dir.toString()));
    assertTrue(missing.toString().contains("none.yaml: no such file"), missing.toString());
  }

  @Test
  void aTinyCrowdWritesResultsCurvesAndCharts() throws IOException {
    Path data = TinyMnist.write(dir.resolve("data"), 100);
    Path config =
        Files.writeString(
            dir.resolve("crowd.yaml"),
            String.join(
                "\n",
                "devices: 8",
                "samples-per-device: 10",
                "devices-per-round: 3",
                "rounds: 2",
                "eval-every: 1",
                "batch: 5",
                "test-samples: 50",
                "cut: conv1",
                ""));
    Path out = dir.resolve("out");
    StringWriter err = new StringWriter();
    assertEquals(
        ExitCode.OK,
        run(
            err,
            "crowd",
            "--config",
            config.toString(),
            "--out",
            out.toString(),
            "--data-dir",
            data.toString()),
        err.toString());
    JsonNode r = new ObjectMapper().readTree(out.resolve("results.json").toFile());
    assertEquals(8, r.at("/config/devices").asInt());
    for (String s : List.of("split", "fedavg")) {
      JsonNode points = r.at("/schedules/" + s + "/points");
      assertEquals(3, points.size(), s);
      assertTrue(points.get(2).get("simulated_seconds").asDouble() > 0, s);
      assertTrue(points.get(2).get("bytes_up").asLong() > 0, s);
    }
    assertEquals(
        r.at("/costs/client_part_bytes").asLong() < r.at("/costs/model_bytes").asLong(), true);
    List<String> csv = Files.readAllLines(out.resolve("curves.csv"));
    assertEquals(7, csv.size());
    assertTrue(
        csv.get(0)
            .startsWith("schedule,round,simulated_seconds,bytes_up,bytes_down,test_accuracy"));
    assertTrue(Files.size(out.resolve("accuracy-vs-time.png")) > 1000);
    assertTrue(Files.size(out.resolve("accuracy-vs-bytes.png")) > 1000);
  }
}
