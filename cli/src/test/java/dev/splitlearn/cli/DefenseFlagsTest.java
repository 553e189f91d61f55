package dev.splitlearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitlearn.privacy.ActivationDpAccounting;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defense flags reach the run and results.json; bad values are one-line errors naming the flag.
 */
class DefenseFlagsTest {
  @TempDir Path dir;

  private record Result(int code, String err) {}

  private Result run(String... args) {
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
    return new Result(code, err.toString());
  }

  private String[] train(String out, String... more) throws IOException {
    Path data = TinyMnist.write(dir.resolve("data"), 64);
    String[] base = {
      "train",
      "--data-dir",
      data.toString(),
      "--out",
      dir.resolve(out).toString(),
      "--epochs",
      "2",
      "--batch",
      "32",
      "--no-progress"
    };
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @SuppressWarnings("unchecked")
  @Test
  void everyDefenseIsRecordedWithEpsilonPerEpoch() throws IOException {
    Result r =
        run(
            train(
                "all",
                "--dp-clip",
                "1",
                "--dp-noise",
                "2",
                "--dp-delta",
                "1e-6",
                "--quantize",
                "2",
                "--top-k",
                "0.5",
                "--noise",
                "gaussian:0.1"));
    assertEquals(0, r.code(), r.err());
    Map<String, Object> results =
        new ObjectMapper().readValue(dir.resolve("all/results.json").toFile(), Map.class);
    Map<String, Object> config = (Map<String, Object>) results.get("config");
    assertEquals("float32", config.get("compression"), "--quantize leaves the dense tensors alone");
    Map<String, Object> defenses = (Map<String, Object>) config.get("defenses");
    assertEquals("packed-2", defenses.get("wire"), "quantised activations go bit-packed");
    List<Map<String, Object>> order = (List<Map<String, Object>>) defenses.get("order");
    assertEquals(
        List.of("top-k", "gaussian-dp", "gaussian-noise", "quantize"),
        order.stream().map(m -> m.get("kind")).toList());
    assertEquals("run:1", defenses.get("noise_seed"));
    Map<String, Object> privacy = (Map<String, Object>) results.get("privacy");
    assertEquals(2.0, ((Number) privacy.get("l2_sensitivity")).doubleValue());
    List<Map<String, Object>> per = (List<Map<String, Object>>) privacy.get("per_epoch");
    assertEquals(2, per.size());
    for (int e = 1; e <= 2; e++) {
      assertEquals(
          ActivationDpAccounting.epsilon(2, 1e-6, e),
          ((Number) per.get(e - 1).get("epsilon")).doubleValue(),
          1e-12);
    }
  }

  @SuppressWarnings("unchecked")
  @Test
  void aSecureSeedIsNotRecordedAndNoDpMeansNoPrivacySection() throws IOException {
    assertEquals(
        0, run(train("secure", "--noise", "laplace:0.2", "--noise-seed", "secure")).code());
    Map<String, Object> results =
        new ObjectMapper().readValue(dir.resolve("secure/results.json").toFile(), Map.class);
    Map<String, Object> defenses =
        (Map<String, Object>) ((Map<String, Object>) results.get("config")).get("defenses");
    assertEquals("secure", defenses.get("noise_seed"));
    assertNull(results.get("privacy"));
    assertNotEquals("int8", ((Map<String, Object>) results.get("config")).get("compression"));
  }

  @SuppressWarnings("unchecked")
  @Test
  void topKAndQuantisedActivationsCostFewerBytesUp() throws IOException {
    long[] up = new long[3];
    String[][] flags = {{}, {"--top-k", "0.1"}, {"--quantize", "2"}};
    for (int i = 0; i < 3; i++) {
      assertEquals(0, run(train("bytes" + i, flags[i])).code());
      Map<String, Object> results =
          new ObjectMapper()
              .readValue(dir.resolve("bytes" + i + "/results.json").toFile(), Map.class);
      up[i] = ((Number) results.get("bytes_client_to_server")).longValue();
    }
    assertTrue(up[1] < up[0] / 3 && up[2] < up[0] / 5, java.util.Arrays.toString(up));
  }

  private void assertOneLineError(Result r, String flag) {
    assertNotEquals(0, r.code(), r.err());
    String first = r.err().lines().findFirst().orElse("");
    assertTrue(
        first.startsWith("splitlearn: error: ") && first.contains(flag),
        flag + " missing from: " + r.err());
  }

  @Test
  void badValuesNameTheirFlag() throws IOException {
    assertOneLineError(run(train("bad", "--noise", "uniform:1")), "--noise");
    assertOneLineError(run(train("bad", "--noise", "gaussian:-2")), "--noise");
    assertOneLineError(run(train("bad", "--dp-clip", "1")), "--dp-noise");
    assertOneLineError(
        run(train("bad", "--dp-clip", "1", "--dp-noise", "1", "--dp-delta", "2")), "--dp-delta");
    assertOneLineError(run(train("bad", "--quantize", "9")), "--quantize");
    assertOneLineError(
        run(train("bad", "--quantize", "2", "--compression", "float8")), "--compression");
    assertOneLineError(run(train("bad", "--top-k", "1.5")), "--top-k");
    assertOneLineError(
        run(train("bad", "--noise", "gaussian:1", "--noise-seed", "lucky")), "--noise-seed");
  }
}
