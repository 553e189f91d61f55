package dev.splitlearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench --calibrate} times the baseline against itself, in alternating turn order. */
class BenchCalibrationTest {
  @TempDir Path dir;

  @Test
  void bothSidesRunTheSameEpochAndTakeTheFirstTurnInTurn() throws Exception {
    Path data = TinyMnist.write(dir.resolve("data"), 40);
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new String[] {
              "bench",
              "--dataset",
              "mnist",
              "--batch",
              "8",
              "--data-dir",
              data.toString(),
              "--out",
              dir.resolve("bench").toString(),
              "--repeats",
              "2",
              "--segment",
              "1",
              "--calibrate",
              "--no-progress"
            },
            new PrintWriter(new StringWriter()),
            new PrintWriter(err));
    assertEquals(ExitCode.OK, code, err.toString());
    JsonNode r = new ObjectMapper().readTree(dir.resolve("bench/bench-overhead.json").toFile());
    assertTrue(r.get("calibration").asBoolean(), r.toString());
    assertEquals(2, r.get("jit_seconds_per_pair").size(), r.toString());
    for (String load :
        new String[] {"other_programs_cpu_share_per_pair", "steal_cpu_share_per_pair"}) {
      assertEquals(2, r.get(load).size(), r.toString());
      for (JsonNode share : r.get(load)) {
        assertTrue(share.asDouble() >= 0 && share.asDouble() <= 1, r.toString());
      }
    }
    assertEquals("unsplit", r.get("first_turn_per_pair").get(0).asText(), r.toString());
    assertEquals("unsplit-again", r.get("first_turn_per_pair").get(1).asText(), r.toString());
    for (int pair = 0; pair < 2; pair++) {
      // same seed, same model, same data: the two sides must train to the same accuracy
      assertEquals(
          r.get("unsplit").get(pair).get("test_accuracy").asDouble(),
          r.get("unsplit-again").get(pair).get("test_accuracy").asDouble(),
          r.toString());
    }
    String[] lines =
        err.toString().lines().filter(l -> l.startsWith("pair ")).toArray(String[]::new);
    assertEquals(2, lines.length, err.toString());
    assertTrue(lines[0].contains(", unsplit first,"), lines[0]);
    assertTrue(lines[1].contains(", unsplit-again first,"), lines[1]);
    // one warm pair cannot balance the order: the summary says so
    assertTrue(
        err.toString().contains("note: unsplit-again took the first turn in 1 of the 1 warm pairs"),
        err.toString());
  }
}
