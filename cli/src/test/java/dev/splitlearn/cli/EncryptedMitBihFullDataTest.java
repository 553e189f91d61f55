package dev.splitlearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * On real MIT-BIH beats (CI fetches them; set SPLITLEARN_DATA), an encrypted run learns what the
 * plaintext run learns: one epoch on 20,000 beats each, accuracies within one percentage point.
 */
@EnabledIfEnvironmentVariable(named = "SPLITLEARN_DATA", matches = ".+")
class EncryptedMitBihFullDataTest {
  @TempDir Path dir;

  private JsonNode train(String name, String... more) throws Exception {
    String[] base = {
      "train",
      "--dataset",
      "mitbih",
      "--model",
      "ecg-cnn",
      "--protocol",
      "u-shaped",
      "--clients",
      "1",
      "--epochs",
      "1",
      "--batch",
      "64",
      "--limit",
      "20000",
      "--test-limit",
      "5000",
      "--seed",
      "3",
      "--no-progress",
      "--data-dir",
      System.getenv("SPLITLEARN_DATA"),
      "--out",
      dir.resolve(name).toString()
    };
    String[] args = new String[base.length + more.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
    assertEquals(ExitCode.OK, code, err.toString());
    return new ObjectMapper().readTree(dir.resolve(name).resolve("results.json").toFile());
  }

  @Test
  void encryptedTrainingMatchesPlaintextAccuracy() throws Exception {
    JsonNode plain = train("plain");
    JsonNode encrypted = train("he", "--he", "ckks");
    double a = plain.get("test_accuracy").asDouble();
    double b = encrypted.get("test_accuracy").asDouble();
    assertTrue(a > 0.9, "plaintext accuracy " + a);
    assertEquals(a, b, 0.01, "encrypted " + b + " vs plaintext " + a);
    // the server got ciphertexts: far more bytes up than the plaintext run's float activations
    assertTrue(
        encrypted.get("bytes_client_to_server").asLong()
            > 2 * plain.get("bytes_client_to_server").asLong());
  }
}
