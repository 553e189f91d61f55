package dev.splitlearn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** MNIST and Fashion-MNIST facts (needs $SPLITLEARN_DATA filled by fetch-data). */
@EnabledIfEnvironmentVariable(named = "SPLITLEARN_DATA", matches = ".+")
class ImageFullDataTest {
  private static final Path ROOT = Path.of(System.getenv().getOrDefault("SPLITLEARN_DATA", "."));

  private static DataOptions options() {
    return DataOptions.builder().optDataDir(ROOT).optDownload(false).build();
  }

  @Test
  void mnistHasThePublishedLabelCounts() throws IOException {
    TrainTest tt = DataSets.load("mnist", options());
    assertArrayEquals(
        new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949},
        tt.train().classCounts());
    assertEquals(10_000, tt.test().size());
    assertArrayEquals(new int[] {1, 28, 28}, tt.train().sampleShape());
    float[] x = new float[784 * 100];
    tt.train().copyBatch(java.util.stream.IntStream.range(0, 100).toArray(), 0, 100, x, null);
    float max = 0;
    for (float v : x) {
      max = Math.max(max, v);
    }
    assertEquals(1f, max, "pixels reach 255 / 255");
  }

  @Test
  void fashionMnistIsBalanced() throws IOException {
    TrainTest tt = DataSets.load("fashion-mnist", options());
    int[] train = new int[10];
    Arrays.fill(train, 6000);
    int[] test = new int[10];
    Arrays.fill(test, 1000);
    assertArrayEquals(train, tt.train().classCounts());
    assertArrayEquals(test, tt.test().classCounts());
    assertEquals("Ankle boot", tt.train().classNames().get(9));
  }

  @Test
  @EnabledIf("demoFixturePresent")
  void demoFixtureIsTheFirstSamplesOfMnist() throws IOException {
    TrainTest demo =
        DataSets.load(
            "mnist", DataOptions.builder().optDataDir(demoDir()).optDownload(false).build());
    TrainTest full = DataSets.load("mnist", options());
    assertEquals(6000, demo.train().size());
    assertEquals(1000, demo.test().size());
    assertEquals(full.train().limit(6000).sha256(), demo.train().sha256());
    assertEquals(full.test().limit(1000).sha256(), demo.test().sha256());
  }

  static Path demoDir() {
    return Path.of("..", "demo-data").toAbsolutePath().normalize();
  }

  static boolean demoFixturePresent() {
    return Files.isDirectory(demoDir().resolve("mnist"));
  }
}
