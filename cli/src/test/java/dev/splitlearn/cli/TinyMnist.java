package dev.splitlearn.cli;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * A small MNIST in the IDX format, gzipped, made on the spot: {@code n} images per split, labels
 * 0-9 in turn.
 */
final class TinyMnist {
  private TinyMnist() {}

  /** Writes {@code root/mnist/...} and returns {@code root}. */
  static Path write(Path root, int n) throws IOException {
    Path m = Files.createDirectories(root.resolve("mnist"));
    for (String split : new String[] {"train", "t10k"}) {
      try (DataOutputStream out =
          new DataOutputStream(
              new GZIPOutputStream(
                  Files.newOutputStream(m.resolve(split + "-images-idx3-ubyte.gz"))))) {
        out.writeInt(0x803);
        out.writeInt(n);
        out.writeInt(28);
        out.writeInt(28);
        for (int i = 0; i < n * 784; i++) {
          out.writeByte(i % 251);
        }
      }
      try (DataOutputStream out =
          new DataOutputStream(
              new GZIPOutputStream(
                  Files.newOutputStream(m.resolve(split + "-labels-idx1-ubyte.gz"))))) {
        out.writeInt(0x801);
        out.writeInt(n);
        for (int i = 0; i < n; i++) {
          out.writeByte(i % 10);
        }
      }
    }
    return root;
  }
}
