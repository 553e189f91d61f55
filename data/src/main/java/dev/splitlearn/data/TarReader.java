package dev.splitlearn.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Extracts regular files and directories from a (optionally gzipped) ustar / GNU / pax tar archive.
 * The JDK has no tar support; this covers what data set archives use: 512-byte headers, octal
 * sizes, the ustar name prefix, GNU long names ({@code L}) and pax {@code path} records. Links and
 * devices are skipped. Entries that would land outside the target directory are refused.
 */
final class TarReader {

  private static final int BLOCK = 512;

  private TarReader() {}

  /**
   * Extracts {@code archive} into {@code dest}.
   *
   * @param archive a {@code .tar} or gzipped tar file (recognised by its magic bytes)
   * @param dest the directory to extract into (created if needed)
   * @return the number of regular files written
   * @throws IOException if the archive is truncated, a header checksum is wrong, or an entry
   *     escapes {@code dest}; the message names the archive
   */
  static int extract(Path archive, Path dest) throws IOException {
    Path root = dest.toAbsolutePath().normalize();
    Files.createDirectories(root);
    int files = 0;
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
        InputStream in = IdxReader.isGzip(archive) ? new GZIPInputStream(raw, 1 << 16) : raw) {
      byte[] header = new byte[BLOCK];
      String longName = null;
      while (true) {
        if (in.readNBytes(header, 0, BLOCK) < BLOCK) {
          throw new IOException(archive + ": truncated tar archive (no end-of-archive blocks)");
        }
        if (isZero(header)) {
          return files;
        }
        checkChecksum(header, archive);
        long size = parseOctal(header, 124, 12, archive);
        char type = (char) header[156];
        String name = longName != null ? longName : entryName(header);
        longName = null;
        if (type == 'L' || type == 'x') {
          String text = new String(readData(in, size, archive), StandardCharsets.UTF_8);
          longName = type == 'L' ? text.replace("\0", "") : paxPath(text);
          continue;
        }
        if (type == '0' || type == '\0' || type == '5') {
          Path out = root.resolve(name).normalize();
          if (!out.startsWith(root) || name.isEmpty()) {
            throw new IOException(
                archive + ": entry '" + name + "' would be written outside " + root);
          }
          if (type == '5') {
            Files.createDirectories(out);
          } else {
            Files.createDirectories(out.getParent());
            try (OutputStream o = Files.newOutputStream(out)) {
              copy(in, o, size, archive);
            }
            files++;
          }
          skip(in, padding(type == '5' ? 0 : size), archive);
        } else {
          skip(in, size + padding(size), archive);
        }
      }
    }
  }

  private static String entryName(byte[] h) {
    String name = cString(h, 0, 100);
    String magic = cString(h, 257, 6);
    if (magic.startsWith("ustar")) {
      String prefix = cString(h, 345, 155);
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
    }
    return name;
  }

  /**
   * The {@code path} value of pax extended-header records ({@code "LEN path=VALUE\n"}), or null.
   */
  private static String paxPath(String records) {
    for (String line : records.split("\n")) {
      int sp = line.indexOf(' ');
      if (sp > 0 && line.startsWith("path=", sp + 1)) {
        return line.substring(sp + 6);
      }
    }
    return null;
  }

  private static void checkChecksum(byte[] h, Path archive) throws IOException {
    long stored = parseOctal(h, 148, 8, archive);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += i >= 148 && i < 156 ? ' ' : h[i] & 0xFF;
    }
    if (sum != stored) {
      throw new IOException(
          archive + ": corrupt tar header (checksum " + stored + ", computed " + sum + ")");
    }
  }

  private static long parseOctal(byte[] h, int off, int len, Path archive) throws IOException {
    long v = 0;
    for (int i = off; i < off + len; i++) {
      int c = h[i];
      if (c == 0 || c == ' ') {
        if (v > 0) {
          break;
        }
        continue;
      }
      if (c < '0' || c > '7') {
        throw new IOException(
            archive + ": corrupt tar header (bad octal field at byte " + off + ")");
      }
      v = v * 8 + (c - '0');
    }
    return v;
  }

  private static String cString(byte[] h, int off, int len) {
    int end = off;
    while (end < off + len && h[end] != 0) {
      end++;
    }
    return new String(h, off, end - off, StandardCharsets.UTF_8);
  }

  private static boolean isZero(byte[] h) {
    for (byte b : h) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static long padding(long size) {
    return (BLOCK - size % BLOCK) % BLOCK;
  }

  private static byte[] readData(InputStream in, long size, Path archive) throws IOException {
    if (size > 1 << 20) {
      throw new IOException(archive + ": extended tar header of " + size + " bytes is too large");
    }
    byte[] b = in.readNBytes((int) size);
    if (b.length < size) {
      throw new IOException(archive + ": truncated tar archive");
    }
    skip(in, padding(size), archive);
    return b;
  }

  private static void copy(InputStream in, OutputStream out, long size, Path archive)
      throws IOException {
    byte[] buf = new byte[1 << 16];
    long left = size;
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new IOException(archive + ": truncated tar archive");
      }
      out.write(buf, 0, n);
      left -= n;
    }
  }

  private static void skip(InputStream in, long n, Path archive) throws IOException {
    try {
      in.skipNBytes(n);
    } catch (EOFException e) {
      throw new IOException(archive + ": truncated tar archive", e);
    }
  }
}
