package dev.splitlearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code splitlearn train --tap} records what the in-process server sees; {@code splitlearn attack
 * --kind label} and {@code --kind unsplit} read it and write attack.json (and the .npy pictures); a
 * label attack without a tap is refused in one line.
 */
class AttackKindsTest {
  @TempDir Path dir;

  private int run(StringWriter err, String... args) {
    return Main.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void theTapOfATrainingRunFeedsTheLabelAndUnSplitAttacks() throws Exception {
    Path data = TinyMnist.write(dir.resolve("data"), 40);
    Path tap = dir.resolve("run.tap");
    String[] common = {
      "--data-dir",
      data.toString(),
      "--clients",
      "1",
      "--batch",
      "8",
      "--epochs",
      "1",
      "--test-limit",
      "8",
      "--no-progress"
    };
    StringWriter err = new StringWriter();
    assertEquals(
        ExitCode.OK,
        run(
            err,
            concat(
                new String[] {
                  "train", "--tap", tap.toString(), "--out", dir.resolve("run").toString()
                },
                common)),
        err.toString());
    JsonNode results = new ObjectMapper().readTree(dir.resolve("run/results.json").toFile());
    assertEquals(false, results.get("tap").get("stopped_at_bound").asBoolean());
    assertTrue(Files.size(tap) > 40 * 8 * 1000, "every step's activations are in the tap");

    StringWriter labelErr = new StringWriter();
    assertEquals(
        ExitCode.OK,
        run(
            labelErr,
            concat(
                new String[] {
                  "attack",
                  "--run",
                  dir.resolve("run").toString(),
                  "--kind",
                  "label",
                  "--tap",
                  tap.toString(),
                  "--known",
                  "1",
                  "--out",
                  dir.resolve("label").toString()
                },
                common)),
        labelErr.toString());
    JsonNode label = new ObjectMapper().readTree(dir.resolve("label/attack.json").toFile());
    JsonNode g = label.get("report").get("gradients").get(0);
    assertEquals("cloud_output_gradient", g.get("evidence").asText());
    assertEquals(40, g.get("samples").asInt(), "one epoch of 40 samples");
    assertEquals(
        30, g.get("scores").get(0).get("scored").asInt(), "one known per class is not scored");
    assertTrue(labelErr.toString().contains("direction accuracy"), labelErr.toString());

    StringWriter unsplitErr = new StringWriter();
    assertEquals(
        ExitCode.OK,
        run(
            unsplitErr,
            concat(
                new String[] {
                  "attack",
                  "--run",
                  dir.resolve("run").toString(),
                  "--kind",
                  "unsplit",
                  "--tap",
                  tap.toString(),
                  "--samples",
                  "12",
                  "--attack-steps",
                  "20",
                  "--out",
                  dir.resolve("unsplit").toString()
                },
                common)),
        unsplitErr.toString());
    JsonNode unsplit = new ObjectMapper().readTree(dir.resolve("unsplit/attack.json").toFile());
    assertEquals(12, unsplit.get("samples").asInt());
    assertTrue(unsplit.get("source").asText().startsWith("tap:"), unsplit.toString());
    assertTrue(unsplit.get("score").get("ssim").isNumber(), unsplit.toString());
    for (String name : new String[] {"originals.npy", "reconstructions.npy"}) {
      byte[] b = Files.readAllBytes(dir.resolve("unsplit").resolve(name));
      int len = (b[8] & 0xff) | (b[9] & 0xff) << 8;
      assertEquals(
          "{'descr': '<f4', 'fortran_order': False, 'shape': (12, 1, 28, 28), }",
          new String(b, 10, len, StandardCharsets.US_ASCII).strip(),
          name);
    }

    StringWriter refused = new StringWriter();
    int code =
        run(
            refused,
            concat(
                new String[] {
                  "attack",
                  "--run",
                  dir.resolve("run").toString(),
                  "--kind",
                  "label",
                  "--out",
                  dir.resolve("x").toString()
                },
                common));
    assertTrue(code != ExitCode.OK);
    assertTrue(
        refused.toString().lines().findFirst().orElse("").contains("--kind label needs --tap"),
        refused.toString());
  }
}
