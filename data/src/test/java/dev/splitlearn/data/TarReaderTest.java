package dev.splitlearn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarReaderTest {
  @TempDir Path dir;

  /** A minimal ustar writer for fixtures. */
  static final class Tar {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Tar entry(String name, char type, byte[] data) {
      byte[] h = new byte[512];
      put(h, 0, name);
      put(h, 100, "0000644");
      put(h, 108, "0000000");
      put(h, 116, "0000000");
      put(h, 124, String.format("%011o", data.length));
      put(h, 136, "00000000000");
      Arrays.fill(h, 148, 156, (byte) ' ');
      h[156] = (byte) type;
      put(h, 257, "ustar");
      put(h, 263, "00");
      int sum = 0;
      for (byte b : h) {
        sum += b & 0xFF;
      }
      put(h, 148, String.format("%06o", sum));
      h[154] = 0;
      out.writeBytes(h);
      out.writeBytes(data);
      out.writeBytes(new byte[(512 - data.length % 512) % 512]);
      return this;
    }

    Tar file(String name, byte[] data) {
      return entry(name, '0', data);
    }

    byte[] bytes() {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      b.writeBytes(out.toByteArray());
      b.writeBytes(new byte[1024]);
      return b.toByteArray();
    }

    private static void put(byte[] h, int off, String s) {
      byte[] b = s.getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(b, 0, h, off, b.length);
    }
  }

  static void gzip(Path p, byte[] b) throws IOException {
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(p))) {
      o.write(b);
    }
  }

  @Test
  void extractsFilesDirectoriesAndLongNames() throws IOException {
    byte[] big = new byte[1500];
    Arrays.fill(big, (byte) 7);
    String longName = "d/" + "x".repeat(120) + ".bin";
    byte[] tar =
        new Tar()
            .entry("d/", '5', new byte[0])
            .file("d/a.txt", "hello".getBytes(StandardCharsets.UTF_8))
            .file("d/big.bin", big)
            .entry("././@LongLink", 'L', (longName + "\0").getBytes(StandardCharsets.UTF_8))
            .file(longName.substring(0, 99), new byte[] {1, 2, 3})
            .entry("d/link", '2', new byte[0])
            .bytes();
    Path archive = dir.resolve("a.tar.gz");
    gzip(archive, tar);
    Path out = dir.resolve("out");
    assertEquals(3, TarReader.extract(archive, out));
    assertEquals("hello", Files.readString(out.resolve("d/a.txt")));
    assertArrayEquals(big, Files.readAllBytes(out.resolve("d/big.bin")));
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(out.resolve(longName)));
    assertFalse(Files.exists(out.resolve("d/link")), "links are skipped");
  }

  @Test
  void refusesEscapesCorruptHeadersAndTruncation() throws IOException {
    Path archive = dir.resolve("b.tar");
    Files.write(archive, new Tar().file("../evil", new byte[] {1}).bytes());
    IOException e =
        assertThrows(IOException.class, () -> TarReader.extract(archive, dir.resolve("o1")));
    assertTrue(e.getMessage().contains("outside"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("evil")));

    byte[] tar = new Tar().file("f", new byte[600]).bytes();
    tar[10] ^= 1;
    Files.write(archive, tar);
    e = assertThrows(IOException.class, () -> TarReader.extract(archive, dir.resolve("o2")));
    assertTrue(e.getMessage().startsWith(archive + ": corrupt tar header"), e.getMessage());

    Files.write(archive, Arrays.copyOf(new Tar().file("f", new byte[600]).bytes(), 700));
    e = assertThrows(IOException.class, () -> TarReader.extract(archive, dir.resolve("o3")));
    assertTrue(e.getMessage().startsWith(archive + ": truncated"), e.getMessage());
  }
}
