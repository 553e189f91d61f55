package dev.splitlearn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A WFDB record in format 212 (the MIT-BIH layout): header, signals and MIT-format annotations.
 * Every signal is checked against the header's initial value and 16-bit checksum.
 */
public final class WfdbRecord {
  private final String name;
  private final double samplingFrequency;
  private final List<String> descriptions;
  private final int[][] signals;

  private WfdbRecord(String name, double fs, List<String> descriptions, int[][] signals) {
    this.name = name;
    this.samplingFrequency = fs;
    this.descriptions = List.copyOf(descriptions);
    this.signals = signals;
  }

  /** Record name, e.g. {@code 100}. */
  public String name() {
    return name;
  }

  /** Samples per second per signal. */
  public double samplingFrequency() {
    return samplingFrequency;
  }

  /** Signal descriptions (lead names), e.g. {@code MLII}, {@code V5}. */
  public List<String> descriptions() {
    return descriptions;
  }

  /** Index of the signal described as {@code lead}, if any. */
  public OptionalInt signalIndex(String lead) {
    int i = descriptions.indexOf(lead);
    return i < 0 ? OptionalInt.empty() : OptionalInt.of(i);
  }

  /** Raw ADC samples of signal {@code i}. */
  public int[] signal(int i) {
    return signals[i];
  }

  /** A beat or other annotation: WFDB code and sample index. */
  public record Annotation(long sample, int code) {}

  /**
   * Reads {@code dir/name.hea} and its format-212 signal file.
   *
   * @throws IOException naming the file if it is missing, malformed, short, or fails its checksum
   */
  public static WfdbRecord read(Path dir, String name) throws IOException {
    Path hea = dir.resolve(name + ".hea");
    List<String> lines = new ArrayList<>();
    try {
      for (String l : Files.readAllLines(hea)) {
        if (!l.isBlank() && !l.startsWith("#")) {
          lines.add(l.trim());
        }
      }
    } catch (NoSuchFileException e) {
      throw new IOException(hea + ": missing");
    }
    String[] rec = lines.isEmpty() ? new String[0] : lines.get(0).split("\\s+");
    if (rec.length < 4) {
      throw new IOException(hea + ": bad record line '" + (lines.isEmpty() ? "" : lines.get(0)) + "'");
    }
    int nsig;
    double fs;
    int nsamp;
    try {
      nsig = Integer.parseInt(rec[1]);
      fs = Double.parseDouble(rec[2].split("/")[0]);
      nsamp = Integer.parseInt(rec[3]);
    } catch (NumberFormatException e) {
      throw new IOException(hea + ": bad record line '" + lines.get(0) + "'");
    }
    if (nsig != 2 || lines.size() < 1 + nsig || nsamp <= 0) {
      throw new IOException(hea + ": expected 2 signals and a sample count, got '" + lines.get(0) + "'");
    }
    String datFile = null;
    int[] initial = new int[nsig];
    int[] checksum = new int[nsig];
    List<String> desc = new ArrayList<>();
    for (int s = 0; s < nsig; s++) {
      String[] f = lines.get(1 + s).split("\\s+");
      if (f.length < 8 || !f[1].startsWith("212")) {
        throw new IOException(hea + ": signal " + s + " is not format 212: '" + lines.get(1 + s) + "'");
      }
      if (datFile != null && !datFile.equals(f[0])) {
        throw new IOException(hea + ": signals in different files are not supported");
      }
      datFile = f[0];
      try {
        initial[s] = Integer.parseInt(f[5]);
        checksum[s] = Integer.parseInt(f[6]);
      } catch (NumberFormatException e) {
        throw new IOException(hea + ": bad signal line '" + lines.get(1 + s) + "'");
      }
      desc.add(f.length > 8 ? f[8] : "");
    }
    Path dat = dir.resolve(datFile);
    if (!Files.isRegularFile(dat)) {
      throw new IOException(dat + ": missing (named by " + hea + ")");
    }
    byte[] b = Files.readAllBytes(dat);
    long needed = 3L * nsamp;
    if (b.length < needed) {
      throw new IOException(dat + ": truncated, " + b.length + " bytes for " + nsamp + " frames ("
          + needed + " bytes)");
    }
    int[][] sig = new int[2][nsamp];
    for (int i = 0, p = 0; i < nsamp; i++, p += 3) {
      int b0 = b[p] & 0xFF;
      int b1 = b[p + 1] & 0xFF;
      int b2 = b[p + 2] & 0xFF;
      sig[0][i] = signExtend12(b0 | ((b1 & 0x0F) << 8));
      sig[1][i] = signExtend12(b2 | ((b1 & 0xF0) << 4));
    }
    for (int s = 0; s < nsig; s++) {
      short sum = 0;
      for (int v : sig[s]) {
        sum += (short) v;
      }
      if (sig[s][0] != initial[s] || sum != (short) checksum[s]) {
        throw new IOException(dat + ": signal " + s + " fails its header check (initial value "
            + sig[s][0] + " vs " + initial[s] + ", checksum " + sum + " vs " + checksum[s] + ")");
      }
    }
    return new WfdbRecord(name, fs, desc, sig);
  }

  private static int signExtend12(int v) {
    return (v << 20) >> 20;
  }

  /**
   * Reads MIT-format annotations ({@code .atr}).
   *
   * @throws IOException naming the file if it is missing or ends inside an entry
   */
  public static List<Annotation> readAnnotations(Path atr) throws IOException {
    byte[] b;
    try {
      b = Files.readAllBytes(atr);
    } catch (NoSuchFileException e) {
      throw new IOException(atr + ": missing");
    }
    List<Annotation> out = new ArrayList<>();
    long time = 0;
    int p = 0;
    while (p + 1 < b.length) {
      int word = (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8);
      p += 2;
      int code = word >>> 10;
      int value = word & 0x3FF;
      if (code == 0 && value == 0) {
        return out;
      }
      switch (code) {
        case 59: // SKIP: a 32-bit interval follows, high 16 bits first
          if (p + 4 > b.length) {
            throw new IOException(atr + ": truncated SKIP entry at byte " + (p - 2));
          }
          int high = (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8);
          int low = (b[p + 2] & 0xFF) | ((b[p + 3] & 0xFF) << 8);
          time += (high << 16) | low;
          p += 4;
          break;
        case 60: case 61: case 62: // NUM, SUB, CHN: modify the previous annotation's fields
          break;
        case 63: // AUX: value bytes of text, padded to even
          p += value + (value & 1);
          break;
        default:
          time += value;
          out.add(new Annotation(time, code));
      }
    }
    throw new IOException(atr + ": no end marker (truncated?)");
  }
}
