package dev.splitlearn.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes IDX files of unsigned bytes, gzip-compressed when the file name ends in {@code .gz}. The
 * output is deterministic (highest gzip level, no name or time stamp in the gzip header) and is
 * written to a temporary file that is then renamed into place.
 */
public final class IdxWriter {

  private static final SecureRandom RANDOM = new SecureRandom();

  private IdxWriter() {}

  /**
   * Creates an empty, uniquely named hidden file beside {@code target} (same directory, so a rename
   * is atomic), with the default permissions of new files.
   */
  static Path tempSibling(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    for (int attempt = 0; ; attempt++) {
      Path tmp =
          dir.resolve(
              "." + target.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".part");
      try {
        return Files.createFile(tmp);
      } catch (FileAlreadyExistsException e) {
        if (attempt > 10) {
          throw e;
        }
      }
    }
  }

  /** gzip at the highest compression level; the header has no name and time stamp 0. */
  private static final class BestGzip extends GZIPOutputStream {
    BestGzip(OutputStream out) throws IOException {
      super(out, 1 << 16);
      def.setLevel(Deflater.BEST_COMPRESSION);
    }
  }

  /**
   * Writes an IDX file.
   *
   * @param file the target; gzip-compressed if its name ends in {@code .gz}
   * @param array the dimensions and bytes
   * @throws IOException if the file cannot be written
   */
  public static void write(Path file, IdxArray array) throws IOException {
    Path tmp = tempSibling(file);
    try {
      try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
          OutputStream out =
              file.getFileName().toString().endsWith(".gz") ? new BestGzip(raw) : raw;
          DataOutputStream data = new DataOutputStream(out)) {
        int[] dims = array.dims();
        data.writeInt(0x00000800 | dims.length);
        for (int d : dims) {
          data.writeInt(d);
        }
        data.write(array.data());
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
