package dev.splitlearn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CIFAR-10 reader on batch files generated in the official binary format. */
class Cifar10Test {
  @TempDir Path root;

  /**
   * Writes {@code n} records per file; record r of file f has label (f + r) % 10 and pixel i = (r +
   * i) % 256.
   */
  private Path generate(int n) throws IOException {
    Path bin = Files.createDirectories(root.resolve("cifar10").resolve(Cifar10.FOLDER));
    int f = 0;
    for (String name :
        new String[] {
          "data_batch_1.bin",
          "data_batch_2.bin",
          "data_batch_3.bin",
          "data_batch_4.bin",
          "data_batch_5.bin",
          "test_batch.bin"
        }) {
      byte[] b = new byte[n * Cifar10.RECORD];
      for (int r = 0; r < n; r++) {
        b[r * Cifar10.RECORD] = (byte) ((f + r) % 10);
        for (int i = 1; i < Cifar10.RECORD; i++) {
          b[r * Cifar10.RECORD + i] = (byte) ((r + i - 1) % 256);
        }
      }
      Files.write(bin.resolve(name), b);
      f++;
    }
    return bin;
  }

  @Test
  void readsAllBatchesInOrderWithChannelMajorPixels() throws IOException {
    generate(4);
    TrainTest tt =
        DataSets.load("cifar10", DataOptions.builder().optDataDir(root).optDownload(false).build());
    assertEquals(20, tt.train().size());
    assertEquals(4, tt.test().size());
    assertArrayEquals(new int[] {3, 32, 32}, tt.train().sampleShape());
    assertEquals((1 + 2) % 10, tt.train().label(4 + 2), "file 2, record 2");
    float[] x = new float[3072];
    tt.test().copySample(3, x, 0);
    assertEquals(((3 + 1024) % 256) / 255f, x[1024], 0, "first green pixel");
    assertEquals("airplane", tt.train().classNames().get(0));
  }

  @Test
  void truncatedFileAndBadLabelAreNamed() throws IOException {
    Path bin = generate(2);
    Path test = bin.resolve("test_batch.bin");
    Files.write(test, java.util.Arrays.copyOf(Files.readAllBytes(test), Cifar10.RECORD + 100));
    IOException e = assertThrows(IOException.class, () -> Cifar10.load(root.resolve("cifar10")));
    assertTrue(
        e.getMessage().contains("test_batch.bin") && e.getMessage().contains("multiple"),
        e.getMessage());
    byte[] b = new byte[Cifar10.RECORD];
    b[0] = 12;
    Files.write(test, b);
    e = assertThrows(IOException.class, () -> Cifar10.load(root.resolve("cifar10")));
    assertTrue(e.getMessage().contains("label 12"), e.getMessage());
  }

  @Test
  void missingDataSetSaysWhereToPutIt() {
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                DataSets.load(
                    "cifar10", DataOptions.builder().optDataDir(root).optDownload(false).build()));
    assertTrue(e.getMessage().startsWith("cifar10: not found in"), e.getMessage());
    assertTrue(e.getMessage().contains("cifar-10-binary.tar.gz"), e.getMessage());
  }
}
