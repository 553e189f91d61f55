package dev.splitlearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gives a one-line error naming the culprit and a non-zero exit. */
class BadInputTest {
  @TempDir Path dir;

  record Result(int code, String err) {}

  private Result run(String... args) {
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
    return new Result(code, err.toString());
  }

  private Path tinyMnist(int n) throws IOException {
    return TinyMnist.write(dir.resolve("data"), n);
  }

  private void assertOneLineError(Result r, int code, String... fragments) {
    assertEquals(code, r.code(), r.err());
    String first = r.err().lines().findFirst().orElse("");
    assertTrue(first.startsWith("splitlearn: error: "), r.err());
    for (String f : fragments) {
      assertTrue(first.contains(f), "'" + f + "' missing from: " + first);
    }
  }

  private String[] train(Path data, String... more) {
    String[] base = {
      "train",
      "--data-dir",
      data.toString(),
      "--out",
      dir.resolve("out").toString(),
      "--epochs",
      "1",
      "--no-progress"
    };
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void missingData() {
    Path nowhere = dir.resolve("nowhere");
    assertOneLineError(run(train(nowhere)), ExitCode.INPUT, "mnist");
  }

  @Test
  void corruptFile() throws IOException {
    Path data = tinyMnist(20);
    Path images = data.resolve("mnist/train-images-idx3-ubyte.gz");
    try (DataOutputStream out =
        new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(images)))) {
      out.writeInt(0x1234);
      out.writeInt(1);
    }
    assertOneLineError(run(train(data)), ExitCode.INPUT, "train-images-idx3-ubyte");
  }

  @Test
  void unknownModel() throws IOException {
    assertOneLineError(
        run(train(tinyMnist(20), "--model", "no-such-net")),
        ExitCode.USAGE,
        "no-such-net",
        "mnist-cnn");
  }

  @Test
  void unknownCutPoint() throws IOException {
    assertOneLineError(
        run(train(tinyMnist(20), "--cuts", "conv1,nope")), ExitCode.USAGE, "nope", "conv2");
  }

  @Test
  void moreClientsThanSamples() throws IOException {
    assertOneLineError(run(train(tinyMnist(20), "--clients", "50")), ExitCode.USAGE, "50");
  }

  @Test
  void negativeBatchSize() throws IOException {
    assertOneLineError(run(train(tinyMnist(20), "--batch", "-4")), ExitCode.USAGE, "-4");
  }

  @Test
  void unknownOneDnnMode() throws IOException {
    assertOneLineError(
        run(train(tinyMnist(20), "--onednn", "maybe")),
        ExitCode.USAGE,
        "--onednn",
        "maybe",
        "auto, on, off");
  }

  @Test
  void unknownFlagAndBadConfigKey() throws IOException {
    assertOneLineError(run("train", "--bogus"), ExitCode.USAGE, "--bogus");
    Path cfg = dir.resolve("c.yaml");
    Files.writeString(cfg, "epochz: 3\n");
    assertOneLineError(run("train", "--config", cfg.toString()), ExitCode.USAGE, "epochz");
  }

  @Test
  void tinyRunWritesResults() throws IOException {
    Path data = tinyMnist(40);
    Result r = run(train(data, "--batch", "8", "--clients", "2"));
    assertEquals(ExitCode.OK, r.code(), r.err());
    String json = Files.readString(dir.resolve("out/results.json"));
    for (String key :
        new String[] {
          "test_accuracy",
          "epochs",
          "train_seconds",
          "seconds_per_epoch",
          "bytes_client_to_server",
          "bytes_server_to_client",
          "clients",
          "machine",
          "isa",
          "glibc_tunables",
          "kernel_transparent_huge_pages",
          "java_vector_module",
          "kernels",
          "onednn",
          "self_test_ms"
        }) {
      assertTrue(json.contains("\"" + key + "\""), key);
    }
  }

  @Test
  void benchReadsAConfigFileAndRefusesEncryptionWhereTheServerPartIsNotLinear() throws IOException {
    Path data = tinyMnist(40);
    Path cfg = dir.resolve("bench.yaml");
    Files.writeString(
        cfg,
        "dataset: mnist\nbatch: 8\ndata-dir: " + data + "\nout: " + dir.resolve("bench") + "\n");
    Result ok =
        run(
            "bench",
            "--config",
            cfg.toString(),
            "--repeats",
            "1",
            "--segment",
            "1",
            "--no-progress");
    assertEquals(ExitCode.OK, ok.code(), ok.err());
    assertTrue(
        Files.readString(dir.resolve("bench/bench-overhead.json"))
            .contains("\"ratio_warm_median\""));
    Result grpc =
        run(
            "bench",
            "--config",
            cfg.toString(),
            "--repeats",
            "2",
            "--segment",
            "1",
            "--transport",
            "grpc",
            "--no-progress");
    assertEquals(ExitCode.OK, grpc.code(), grpc.err());
    String json = Files.readString(dir.resolve("bench/bench-grpc.json"));
    assertTrue(
        json.contains("\"grpc-split_bytes_per_step_up\"") && json.contains("\"ratio_cold_pair\""),
        json);
    Result he = run("bench", "--config", cfg.toString(), "--repeats", "1", "--he", "ckks");
    assertTrue(he.code() != ExitCode.OK, he.err());
    assertTrue(he.err().lines().findFirst().orElse("").contains("one linear layer"), he.err());
  }

  @Test
  void reportOfAFolderThatIsNeitherRunNorAttack() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("just-checkpoints/checkpoints"));
    Result r =
        run("report", folder.getParent().toString(), "--out", dir.resolve("r.html").toString());
    assertOneLineError(
        r, ExitCode.INPUT, folder.getParent().toString(), "no results.json or attack.json");
    assertTrue(!Files.exists(dir.resolve("r.html")), "no page written");
    assertOneLineError(run("report"), ExitCode.USAGE, "DIR");
  }
}
