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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code splitlearn multitask}: config errors in one line naming the key, and a tiny run end to
 * end.
 */
class MultitaskCommandTest {
  @TempDir Path dir;

  private int run(StringWriter out, StringWriter err, String... args) {
    return Main.run(args, new PrintWriter(out), new PrintWriter(err));
  }

  private String firstErrorLine(String yaml, int code, String... flags) throws IOException {
    Path config = Files.writeString(dir.resolve("multitask.yaml"), yaml);
    List<String> args =
        new ArrayList<>(
            List.of("multitask", "--config", config.toString(), "--out", dir.toString()));
    args.addAll(List.of(flags));
    StringWriter err = new StringWriter();
    assertEquals(code, run(new StringWriter(), err, args.toArray(String[]::new)), err.toString());
    return err.toString().lines().findFirst().orElse("");
  }

  @Test
  void configErrorsNameTheKeyInOneLine() throws IOException {
    String prefix = "splitlearn: error: " + dir.resolve("multitask.yaml") + ": ";
    Map<String, String> cases =
        Map.of(
            "epochs: 2\n", "'clients' is missing",
            "clients:\n  - dataset: mnist\n    classes: 3\n",
                "'clients[0].classes' is unknown; known: [name, dataset]",
            "clients:\n  - dataset: mnist\n  - dataset: imagenet\n",
                "'clients[1].dataset' must be one of",
            "clients:\n  - dataset: mnist\n  - dataset: mnist\n",
                "'clients[1].name' must be unique, 'mnist' is taken",
            "clients:\n  - dataset: mnist\nembedding: 0\n",
                "'embedding' must be an integer >= 1, got 0",
            "clients:\n  - dataset: mnist\nlr: fast\n", "'lr' must be a finite number, got 'fast'",
            "clients:\n  - dataset: mnist\nepoch: 3\n",
                "'epoch' is unknown; known: [clients, embedding, cloud-hidden, epochs,");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      String line = firstErrorLine(c.getKey(), ExitCode.USAGE);
      assertTrue(line.startsWith(prefix + c.getValue()), c.getKey() + " -> " + line);
    }
    String flag = firstErrorLine("clients:\n  - dataset: mnist\n", ExitCode.USAGE, "--limit", "-1");
    assertEquals("splitlearn: error: --limit must be >= 0 (0 for all), got -1", flag);
    StringWriter missing = new StringWriter();
    assertEquals(
        ExitCode.INPUT,
        run(
            new StringWriter(),
            missing,
            "multitask",
            "--config",
            dir.resolve("none.yaml").toString(),
            "--out",
            dir.toString()));
    assertTrue(
        missing
            .toString()
            .startsWith(
                "splitlearn: error: --config " + dir.resolve("none.yaml") + ": no such file"),
        missing.toString());
  }

  @Test
  void twoClientsWriteResultsAndATable() throws IOException {
    Path data = TinyMnist.write(dir.resolve("data"), 120);
    Path fashion = Files.createDirectories(data.resolve("fashion-mnist"));
    try (var files = Files.list(data.resolve("mnist"))) {
      for (Path f : files.toList()) {
        Files.copy(f, fashion.resolve(f.getFileName()));
      }
    }
    Path config =
        Files.writeString(
            dir.resolve("multitask.yaml"),
            String.join(
                "\n",
                "clients:",
                "  - {name: digits, dataset: mnist}",
                "  - {name: clothes, dataset: fashion-mnist}",
                "embedding: 16",
                "batch: 20",
                "test-limit: 40",
                ""));
    Path out = dir.resolve("out");
    StringWriter stdout = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(
        ExitCode.OK,
        run(
            stdout,
            err,
            "multitask",
            "--config",
            config.toString(),
            "--out",
            out.toString(),
            "--data-dir",
            data.toString(),
            "--epochs",
            "1",
            "--limit",
            "100"),
        err.toString());
    JsonNode r = new ObjectMapper().readTree(out.resolve("results.json").toFile());
    assertEquals(2, r.at("/clients").size());
    double sum = 0;
    for (int i = 0; i < 2; i++) {
      JsonNode c = r.at("/clients/" + i);
      assertEquals(10, c.get("classes").asInt());
      assertEquals(100, c.get("train_samples").asInt());
      assertEquals(40, c.get("test_samples").asInt());
      double mt = c.get("multitask_test_accuracy").asDouble();
      double lo = c.get("local_only_test_accuracy").asDouble();
      assertEquals(100 * (mt - lo), c.get("difference_pp").asDouble(), 1e-9);
      assertEquals(1, c.get("multitask_epochs").size());
      assertEquals(1, c.get("local_only_epochs").size());
      sum += c.get("difference_pp").asDouble();
    }
    assertEquals(sum / 2, r.get("mean_difference_pp").asDouble(), 1e-9);
    assertEquals("mnist", r.at("/clients/0/dataset").asText());
    assertEquals(1, r.at("/config/epochs").asInt(), "the flag won over the config");
    assertTrue(r.at("/model/cloud").asText().contains("cut (16)"), r.at("/model/cloud").asText());
    String table = stdout.toString();
    assertTrue(table.startsWith("client"), table);
    assertTrue(
        table.contains("digits")
            && table.contains("clothes")
            && table.contains("seed paper: +2.63 pp"),
        table);
    assertTrue(!Files.exists(out.resolve("results.json.tmp")), "written atomically");
  }
}
