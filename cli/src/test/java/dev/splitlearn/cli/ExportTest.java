package dev.splitlearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.privacy.Npy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code splitlearn export} writes X, Z and y of a trained run as .npy files, {@code splitlearn
 * attack} scores an inversion on them, and both refuse another plan.
 */
class ExportTest {
  @TempDir Path dir;

  private int run(StringWriter err, String... args) {
    return Main.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
  }

  private static String header(Path npy) throws Exception {
    byte[] b = Files.readAllBytes(npy);
    int len = (b[8] & 0xff) | (b[9] & 0xff) << 8;
    return new String(b, 10, len, StandardCharsets.US_ASCII).strip();
  }

  @Test
  void exportsWhatTheServerWouldPairUp() throws Exception {
    Path data = TinyMnist.write(dir.resolve("data"), 40);
    String[] common = {
      "--data-dir", data.toString(), "--clients", "1", "--batch", "8", "--no-progress"
    };
    StringWriter err = new StringWriter();
    String[] train =
        concat(
            new String[] {"train", "--epochs", "1", "--out", dir.resolve("run").toString()},
            common);
    assertEquals(ExitCode.OK, run(err, train), err.toString());
    String[] export =
        concat(
            new String[] {
              "export",
              "--run",
              dir.resolve("run").toString(),
              "--split",
              "test",
              "--limit",
              "10",
              "--out",
              dir.resolve("exp").toString()
            },
            common);
    assertEquals(ExitCode.OK, run(err, export), err.toString());
    assertEquals(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (10, 1, 28, 28), }",
        header(dir.resolve("exp/X.npy")));
    assertEquals(
        "{'descr': '<i4', 'fortran_order': False, 'shape': (10,), }",
        header(dir.resolve("exp/y.npy")));
    String z = header(dir.resolve("exp/Z.npy"));
    assertTrue(z.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (10, "), z);
    byte[] y = Files.readAllBytes(dir.resolve("exp/y.npy"));
    ByteBuffer labels = ByteBuffer.wrap(y, y.length - 40, 40).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 10; i++) {
      assertEquals(i % 10, labels.getInt(), "labels of the tiny set are 0-9 in turn");
    }

    StringWriter attackErr = new StringWriter();
    String[] attack =
        concat(
            new String[] {
              "attack",
              "--run",
              dir.resolve("run").toString(),
              "--kind",
              "inversion",
              "--leaked",
              "20",
              "--limit",
              "30",
              "--attack-epochs",
              "3",
              "--out",
              dir.resolve("atk").toString()
            },
            common);
    assertEquals(ExitCode.OK, run(attackErr, attack), attackErr.toString());
    com.fasterxml.jackson.databind.JsonNode a =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(dir.resolve("atk/attack.json").toFile());
    assertEquals(20, a.get("leaked_pairs").asInt());
    assertEquals(10, a.get("scored").asInt());
    assertTrue(a.get("mse").asDouble() >= 0 && a.get("ssim").asDouble() <= 1, a.toString());
    assertEquals("originals.npy", a.get("originals").asText());
    assertEquals("reconstructions.npy", a.get("reconstructions").asText());
    assertEquals(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (10, 1, 28, 28), }",
        header(dir.resolve("atk/originals.npy")),
        "the 10 held-out samples, fewer than 16");
    assertEquals(
        header(dir.resolve("atk/originals.npy")), header(dir.resolve("atk/reconstructions.npy")));
    float[] originals = Npy.read(dir.resolve("atk/originals.npy")).data();
    float[] guesses = Npy.read(dir.resolve("atk/reconstructions.npy")).data();
    double sse = 0;
    for (int i = 0; i < originals.length; i++) {
      sse += (originals[i] - guesses[i]) * (originals[i] - guesses[i]);
    }
    assertEquals(
        a.get("mse").asDouble(),
        sse / originals.length,
        1e-4,
        "the saved pairs are the ones scored");

    StringWriter wrong = new StringWriter();
    String[] other =
        concat(
            new String[] {
              "export",
              "--run",
              dir.resolve("run").toString(),
              "--model",
              "cifar-resnet8",
              "--out",
              dir.resolve("exp2").toString()
            },
            common);
    int code = run(wrong, other);
    assertTrue(code != ExitCode.OK, wrong.toString());
    String first = wrong.toString().lines().findFirst().orElse("");
    assertTrue(
        first.startsWith("splitlearn: error: ") && first.contains("another plan"),
        wrong.toString());
  }

  /**
   * The pairs hold the activations as the client sends them: exported with the run's noise defense,
   * Z differs from the undefended export of the same extractor by noise of that deviation.
   */
  @Test
  void theExportedActivationsCarryTheClientsDefenses() throws Exception {
    Path data = TinyMnist.write(dir.resolve("data"), 40);
    String[] common = {
      "--data-dir", data.toString(), "--clients", "1", "--batch", "8", "--no-progress"
    };
    String[] noise = {"--noise", "gaussian:0.5", "--noise-seed", "run"};
    StringWriter err = new StringWriter();
    String[] train =
        concat(
            concat(
                new String[] {"train", "--epochs", "1", "--out", dir.resolve("nrun").toString()},
                common),
            noise);
    assertEquals(ExitCode.OK, run(err, train), err.toString());
    float[][] z = new float[2][];
    for (int defended = 0; defended < 2; defended++) {
      String out = dir.resolve("nexp" + defended).toString();
      String[] export =
          concat(
              new String[] {
                "export", "--run", dir.resolve("nrun").toString(), "--limit", "10", "--out", out
              },
              defended == 1 ? concat(common, noise) : common);
      assertEquals(ExitCode.OK, run(err, export), err.toString());
      z[defended] = Npy.read(Path.of(out, "Z.npy")).data();
    }
    assertEquals(z[0].length, z[1].length);
    double s = 0;
    for (int i = 0; i < z[0].length; i++) {
      s += (double) (z[1][i] - z[0][i]) * (z[1][i] - z[0][i]);
    }
    assertEquals(0.5, Math.sqrt(s / z[0].length), 0.02, "deviation of the noise in the pairs");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
