package dev.splitlearn.data.wfdb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small synthetic WFDB records (format 212 signals, MIT annotations) for tests. */
public final class WfdbFixtures {
  private WfdbFixtures() {}

  /** A deterministic 12-bit test signal: a slow wave plus a sharp "R peak" every 200 samples. */
  public static int[] signal(int n, int phase, int seed) {
    int[] x = new int[n];
    for (int t = 0; t < n; t++) {
      double v = 300 * Math.sin((t + phase) / 37.0) + ((t * 7919L + seed) % 61) - 30;
      if ((t + phase) % 200 < 4) {
        v += 1200;
      }
      x[t] = (int) Math.max(-2048, Math.min(2047, Math.round(v)));
    }
    return x;
  }

  /** The 16-bit WFDB checksum, computed independently of the reader. */
  public static int checksum(int[] x) {
    long sum = 0;
    for (int v : x) {
      sum += v;
    }
    return (short) (sum & 0xFFFF);
  }

  /**
   * Writes {@code dir/name.hea} and {@code dir/name.dat} for the given signals, with correct
   * checksums and initial values unless {@code checksumDelta} is non-zero (added to signal 0's
   * checksum).
   */
  public static void writeRecord(
      Path dir, String name, int[][] signals, String[] descriptions, int checksumDelta)
      throws IOException {
    StringBuilder hea = new StringBuilder();
    hea.append(name)
        .append(' ')
        .append(signals.length)
        .append(" 360 ")
        .append(signals[0].length)
        .append('\n');
    for (int s = 0; s < signals.length; s++) {
      hea.append(name)
          .append(".dat 212 200 11 1024 ")
          .append(signals[s][0])
          .append(' ')
          .append(checksum(signals[s]) + (s == 0 ? checksumDelta : 0))
          .append(" 0 ")
          .append(descriptions[s])
          .append('\n');
    }
    hea.append("# 69 M 1085 1629 x1\n# synthetic\n");
    Files.writeString(dir.resolve(name + ".hea"), hea.toString(), StandardCharsets.US_ASCII);
    Files.write(dir.resolve(name + ".dat"), Format212.encode(signals));
  }

  /** Builds MIT-format annotation bytes word by word. */
  public static final class Atr {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private Atr word(int code, int value) {
      int w = code << 10 | (value & 0x3FF);
      out.write(w & 0xFF);
      out.write(w >>> 8);
      return this;
    }

    /** An annotation {@code delta} samples after the previous one. */
    public Atr ann(int code, int delta) {
      return word(code, delta);
    }

    /** SKIP: adds {@code interval} to the running time (32-bit, high word first). */
    public Atr skip(int interval) {
      word(Annotations.SKIP, 0);
      int hi = interval >>> 16;
      int lo = interval & 0xFFFF;
      out.write(hi & 0xFF);
      out.write(hi >>> 8);
      out.write(lo & 0xFF);
      out.write(lo >>> 8);
      return this;
    }

    /** AUX text for the preceding annotation, padded to an even byte count. */
    public Atr aux(String text) {
      byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
      word(Annotations.AUX, b.length);
      out.writeBytes(b);
      if (b.length % 2 == 1) {
        out.write(0);
      }
      return this;
    }

    public Atr num(int v) {
      return word(Annotations.NUM, v);
    }

    public Atr sub(int v) {
      return word(Annotations.SUB, v);
    }

    public Atr chn(int v) {
      return word(Annotations.CHN, v);
    }

    /** The end-of-file word. */
    public Atr end() {
      return word(0, 0);
    }

    public byte[] bytes() {
      return out.toByteArray();
    }
  }

  /**
   * Writes the standard synthetic record {@code name}: 2,000 samples, signal 0 = V1, signal 1 =
   * MLII, annotations N@30 +@100("(N") V@300 A@700 ~@800 f@1000 e@1500 (reached through a SKIP)
   * F@1990.
   */
  public static int[][] writeStandardRecord(Path dir, String name) throws IOException {
    int[][] x = {signal(2000, 17, 3), signal(2000, 0, 5)};
    writeRecord(dir, name, x, new String[] {"V1", "MLII"}, 0);
    byte[] atr =
        new Atr()
            .ann(1, 30)
            .ann(28, 70)
            .aux("(N")
            .ann(5, 200)
            .num(3)
            .sub(2)
            .ann(8, 400)
            .chn(1)
            .ann(14, 100)
            .ann(38, 200)
            .skip(499)
            .ann(34, 1)
            .ann(6, 490)
            .end()
            .bytes();
    Files.write(dir.resolve(name + ".atr"), atr);
    return x;
  }
}
