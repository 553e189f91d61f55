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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pretrain, train --extractor pretrained:PATH and characterize, end to end on a tiny MNIST; their
 * bad input.
 */
class PrivyNetTest {
  @TempDir static Path dir;
  static Path data;
  static Path pretrained;

  record Result(int code, String err) {}

  private static Result run(List<String> args) {
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            args.toArray(String[]::new), new PrintWriter(new StringWriter()), new PrintWriter(err));
    return new Result(code, err.toString());
  }

  private static List<String> args(String command, String... more) {
    List<String> a = new ArrayList<>(List.of(command, "--data-dir", data.toString()));
    if (!command.equals("characterize")) {
      a.add("--no-progress");
    }
    a.addAll(List.of(more));
    return a;
  }

  @BeforeAll
  static void pretrain() throws Exception {
    data = TinyMnist.write(dir.resolve("data"), 80);
    pretrained = dir.resolve("pre");
    Result r = run(args("pretrain", "--epochs", "1", "--out", pretrained.toString()));
    assertEquals(0, r.code(), r.err());
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
  void pretrainWritesWhatTrainReadsBack() throws Exception {
    assertTrue(Files.isRegularFile(pretrained.resolve("model.params")));
    JsonNode info = new ObjectMapper().readTree(pretrained.resolve("pretrain.json").toFile());
    assertEquals("mnist-cnn", info.get("model").asText());
    assertEquals(64, info.get("weights_sha256").asText().length());
    Path out = dir.resolve("train");
    Result r =
        run(
            args(
                "train",
                "--clients",
                "1",
                "--epochs",
                "1",
                "--out",
                out.toString(),
                "--extractor",
                "pretrained:" + pretrained,
                "--layers",
                "2",
                "--channels",
                "5",
                "--channel-select",
                "random"));
    assertEquals(0, r.code(), r.err());
    JsonNode x =
        new ObjectMapper()
            .readTree(out.resolve("results.json").toFile())
            .get("config")
            .get("extractor");
    assertEquals("pretrained", x.get("source").asText());
    assertEquals(info.get("weights_sha256").asText(), x.get("sha256").asText());
    assertEquals(2, x.get("layers").asInt());
    assertEquals(64, x.get("block_channels").asInt());
    assertEquals(5, x.get("selected_channels").size());
    assertEquals("random", x.get("selection").asText());
  }

  @Test
  void badTopologiesAndGridsGiveOneLineErrors() {
    String pre = "pretrained:" + pretrained;
    String out = dir.resolve("bad").toString();
    assertOneLineError(
        run(args("train", "--out", out, "--extractor", pre, "--layers", "1", "--channels", "33")),
        ExitCode.USAGE,
        "--channels must be in 1..32");
    assertOneLineError(
        run(args("train", "--out", out, "--extractor", pre, "--layers", "4")),
        ExitCode.USAGE,
        "--layers must be in 1..3");
    assertOneLineError(
        run(args("train", "--out", out, "--layers", "1")),
        ExitCode.USAGE,
        "--layers",
        "--extractor pretrained:PATH");
    assertOneLineError(
        run(args("train", "--out", out, "--extractor", pre)), ExitCode.USAGE, "needs --layers");
    assertOneLineError(
        run(
            args(
                "train",
                "--out",
                out,
                "--extractor",
                "pretrained:" + dir.resolve("nothing"),
                "--layers",
                "1")),
        ExitCode.INPUT,
        "--extractor pretrained:");
    assertOneLineError(
        run(
            args(
                "train",
                "--out",
                out,
                "--model",
                "cifar-resnet8",
                "--extractor",
                pre,
                "--layers",
                "1")),
        ExitCode.USAGE,
        "mnist-cnn",
        "cifar-resnet8");
    for (String grid :
        List.of(
            "k=1",
            "k=1;c=x",
            "k=1;c=4;k=2",
            "k=0;c=4",
            "q=1;c=4",
            "k=1,1;c=4",
            "k=1;c=33",
            "k=4;c=1")) {
      assertOneLineError(
          run(
              args(
                  "characterize",
                  "--out",
                  out,
                  "--pretrained",
                  pretrained.toString(),
                  "--grid",
                  grid)),
          ExitCode.USAGE,
          "--grid");
    }
  }

  @Test
  void characterizeWritesTheTableAndPlotAndResumes() throws Exception {
    Path out = dir.resolve("char");
    List<String> a =
        args(
            "characterize",
            "--pretrained",
            pretrained.toString(),
            "--grid",
            "k=1;c=2,4",
            "--epochs",
            "1",
            "--limit",
            "40",
            "--test-limit",
            "40",
            "--leaked",
            "20",
            "--attack-samples",
            "40",
            "--attack-epochs",
            "1",
            "--out",
            out.toString());
    Result first = run(a);
    assertEquals(0, first.code(), first.err());
    List<String> csv = Files.readAllLines(out.resolve("characterize.csv"));
    assertEquals(CharacterizeCommand.CSV_HEADER, csv.get(0));
    assertEquals(3, csv.size(), String.join("\n", csv));
    assertTrue(csv.get(1).startsWith("1,2,ranked,"), csv.get(1));
    assertTrue(csv.stream().skip(1).anyMatch(l -> l.contains(",true,")), "a point is on the front");
    assertTrue(Files.size(out.resolve("characterize.png")) > 1000);
    Result again = run(a);
    assertEquals(0, again.code(), again.err());
    assertEquals(
        2, again.err().lines().filter(l -> l.contains("already measured")).count(), again.err());
    assertEquals(csv, Files.readAllLines(out.resolve("characterize.csv")));
  }

  @Test
  void planMeasuresItsChoiceThroughCharacterizeAndItsWireBytesAreExact() throws Exception {
    Path grid = dir.resolve("plan-grid");
    List<String> common =
        List.of(
            "--epochs",
            "1",
            "--limit",
            "40",
            "--batch",
            "20",
            "--test-limit",
            "40",
            "--leaked",
            "20",
            "--attack-samples",
            "40",
            "--attack-epochs",
            "1");
    List<String> a =
        args(
            "characterize",
            "--pretrained",
            pretrained.toString(),
            "--grid",
            "k=1;c=2,4",
            "--out",
            grid.toString());
    a.addAll(common);
    Result r = run(a);
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.isRegularFile(grid.resolve(CharacterizeCommand.SETTINGS_FILE)));
    Path out = dir.resolve("plan");
    // every c of k=1 is a candidate; the choice is c=1 or c=32 (lines in ln c), never a measured
    // one
    StringWriter stdout = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new String[] {
              "plan",
              "--characterization",
              grid.toString(),
              "--measure",
              "--data-dir",
              data.toString(),
              "--out",
              out.toString()
            },
            new PrintWriter(stdout),
            new PrintWriter(err));
    assertEquals(0, code, err.toString());
    JsonNode plan = new ObjectMapper().readTree(out.resolve("plan.json").toFile());
    int c = plan.at("/chosen/c").asInt();
    assertTrue(c == 1 || c == 32, "chosen " + plan.get("chosen"));
    assertTrue(
        plan.at("/measured/source").asText().startsWith("trained and attacked by characterize"),
        plan.get("measured").toString());
    assertTrue(Files.isRegularFile(out.resolve("measured/runs/k1-c" + c + "/results.json")));
    // 40 samples in full batches of 20: the measured traffic is what the plan computed from the
    // shapes
    assertEquals(
        plan.at("/chosen/wire_bytes_per_sample").asDouble(),
        plan.at("/measured/wire_bytes_per_sample").asDouble(),
        0.051);
    assertEquals(
        plan.at("/chosen/client_mflops_per_sample").asDouble(),
        plan.at("/measured/client_mflops_per_sample").asDouble(),
        1e-4);
    assertEquals(
        plan.at("/chosen/client_parameter_bytes").asLong(),
        plan.at("/measured/client_parameter_bytes").asLong());
    assertTrue(plan.at("/measured/on_measured_pareto_front").isBoolean());
    assertTrue(stdout.toString().contains("measured (trained and attacked"), stdout.toString());
  }
}
