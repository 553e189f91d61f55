package dev.splitlearn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.data.tools.MakeSubset;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX reading and writing on generated files. */
class IdxTest {
  @TempDir Path dir;

  /** {@code n} images of 2x3 pixels, pixel j of image i = (7i + j) mod 256. */
  static IdxArray images(int n) {
    byte[] b = new byte[n * 6];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) ((7 * (i / 6) + i % 6) % 256);
    }
    return new IdxArray(new int[] {n, 2, 3}, b);
  }

  static IdxArray labels(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i % 10);
    }
    return new IdxArray(new int[] {n}, b);
  }

  /** Writes an MNIST-style directory; the train files gzipped, the test files raw. */
  static void writeMnistTree(Path d, int train, int test) throws IOException {
    IdxWriter.write(d.resolve("train-images-idx3-ubyte.gz"), images(train));
    IdxWriter.write(d.resolve("train-labels-idx1-ubyte.gz"), labels(train));
    IdxWriter.write(d.resolve("t10k-images-idx3-ubyte"), images(test));
    IdxWriter.write(d.resolve("t10k-labels-idx1-ubyte"), labels(test));
  }

  @Test
  void rawAndGzipRoundTrip() throws IOException {
    for (String name : new String[] {"a-idx3-ubyte", "a-idx3-ubyte.gz"}) {
      IdxWriter.write(dir.resolve(name), images(5));
      assertEquals(images(5), IdxReader.read(dir.resolve(name), IdxReader.IMAGES_MAGIC), name);
    }
    assertEquals(4 + 12 + 30, Files.size(dir.resolve("a-idx3-ubyte")));
    assertTrue(IdxReader.isGzip(dir.resolve("a-idx3-ubyte.gz")));
  }

  @Test
  void gzipIsRecognisedByContentNotName() throws IOException {
    Path raw = dir.resolve("raw");
    IdxWriter.write(raw, labels(3));
    Path misnamed = dir.resolve("labels-without-gz-suffix");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(misnamed))) {
      o.write(Files.readAllBytes(raw));
    }
    assertEquals(labels(3), IdxReader.read(misnamed, IdxReader.LABELS_MAGIC));
  }

  @Test
  void wrongMagicIsNamed() throws IOException {
    Path f = dir.resolve("train-images-idx3-ubyte.gz");
    IdxWriter.write(f, labels(4));
    IOException e =
        assertThrows(IOException.class, () -> IdxReader.read(f, IdxReader.IMAGES_MAGIC));
    assertEquals(f + ": bad magic 0x00000801, expected 0x00000803 (IDX images)", e.getMessage());
    Files.write(f, new byte[8]);
    e = assertThrows(IOException.class, () -> IdxReader.read(f, IdxReader.IMAGES_MAGIC));
    assertEquals(f + ": bad magic 0x00000000, expected 0x00000803 (IDX images)", e.getMessage());
  }

  @Test
  void truncatedAndOverlongFilesAreReported() throws IOException {
    Path raw = dir.resolve("img");
    IdxWriter.write(raw, images(4));
    byte[] full = Files.readAllBytes(raw);
    Files.write(raw, Arrays.copyOf(full, full.length - 1));
    IOException e =
        assertThrows(IOException.class, () -> IdxReader.read(raw, IdxReader.IMAGES_MAGIC));
    assertTrue(
        e.getMessage().startsWith(raw + ": file length 39 does not match header [4, 2, 3]")
            && e.getMessage().endsWith("truncated"),
        e.getMessage());
    Files.write(raw, Arrays.copyOf(full, full.length + 1));
    e = assertThrows(IOException.class, () -> IdxReader.read(raw, IdxReader.IMAGES_MAGIC));
    assertTrue(e.getMessage().contains("does not match header"), e.getMessage());
    Files.write(raw, Arrays.copyOf(full, 6));
    e = assertThrows(IOException.class, () -> IdxReader.read(raw, IdxReader.IMAGES_MAGIC));
    assertTrue(e.getMessage().contains("truncated header"), e.getMessage());

    Path gz = dir.resolve("img.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
      o.write(full, 0, full.length - 5);
    }
    e = assertThrows(IOException.class, () -> IdxReader.read(gz, IdxReader.IMAGES_MAGIC));
    assertTrue(
        e.getMessage()
            .startsWith(gz + ": truncated: header [4, 2, 3] needs 24 data bytes, found 19"),
        e.getMessage());
    IdxWriter.write(gz, images(4));
    byte[] zipped = Files.readAllBytes(gz);
    Files.write(gz, Arrays.copyOf(zipped, zipped.length - 12));
    e = assertThrows(IOException.class, () -> IdxReader.read(gz, IdxReader.IMAGES_MAGIC));
    assertTrue(e.getMessage().startsWith(gz + ": "), e.getMessage());
  }

  @Test
  void imageAndLabelCountsMustMatch() throws IOException {
    IdxWriter.write(dir.resolve("i"), images(5));
    IdxWriter.write(dir.resolve("l"), labels(4));
    IOException e =
        assertThrows(
            IOException.class,
            () -> IdxReader.readDataset("x", dir.resolve("i"), dir.resolve("l"), DataSets.DIGITS));
    assertTrue(
        e.getMessage().contains("5 images but") && e.getMessage().contains("4 labels"),
        e.getMessage());
    IdxWriter.write(dir.resolve("l"), new IdxArray(new int[] {5}, new byte[] {0, 1, 2, 3, 10}));
    e =
        assertThrows(
            IOException.class,
            () -> IdxReader.readDataset("x", dir.resolve("i"), dir.resolve("l"), DataSets.DIGITS));
    assertTrue(e.getMessage().contains("label 10 of item 4 is outside [0, 10)"), e.getMessage());
  }

  @Test
  void dataSetsLoadsAnMnistTreeScaledToUnitRange() throws IOException {
    writeMnistTree(dir.resolve("mnist"), 12, 5);
    TrainTest tt =
        DataSets.load("MNIST", DataOptions.builder().optDataDir(dir).optDownload(false).build());
    assertEquals(12, tt.train().size());
    assertEquals(5, tt.test().size());
    assertEquals("mnist/train", tt.train().name());
    assertArrayEquals(new int[] {1, 2, 3}, tt.train().sampleShape());
    float[] x = new float[6];
    tt.train().copySample(11, x, 0);
    assertEquals((7 * 11 + 2) / 255f, x[2]);
    assertEquals(1, tt.train().label(11));
    assertEquals(DataSets.DIGITS, tt.test().classNames());
  }

  @Test
  void makeSubsetKeepsTheFirstSamplesAsGzip() throws IOException {
    writeMnistTree(dir.resolve("full"), 20, 10);
    Path out = dir.resolve("demo").resolve("mnist");
    MakeSubset.write(dir.resolve("full"), out, 7, 3);
    for (String f : DataSource.IDX_FILES) {
      assertTrue(IdxReader.isGzip(out.resolve(f + ".gz")), f);
    }
    assertEquals(
        images(20).first(7),
        IdxReader.read(out.resolve("train-images-idx3-ubyte.gz"), IdxReader.IMAGES_MAGIC));
    assertEquals(
        labels(10).first(3),
        IdxReader.read(out.resolve("t10k-labels-idx1-ubyte.gz"), IdxReader.LABELS_MAGIC));
    byte[] first = Files.readAllBytes(out.resolve("train-images-idx3-ubyte.gz"));
    MakeSubset.write(dir.resolve("full"), out, 7, 3);
    assertArrayEquals(
        first, Files.readAllBytes(out.resolve("train-images-idx3-ubyte.gz")), "deterministic");
    TrainTest tt =
        DataSets.load(
            "mnist",
            DataOptions.builder().optDataDir(dir.resolve("demo")).optDownload(false).build());
    assertEquals(7, tt.train().size());
    assertThrows(
        IllegalArgumentException.class, () -> MakeSubset.write(dir.resolve("full"), out, 21, 3));
    try (var files = Files.list(out)) {
      assertEquals(
          List.of(),
          files.filter(p -> p.toString().endsWith(".part")).toList(),
          "no temp files left");
    }
  }
}
