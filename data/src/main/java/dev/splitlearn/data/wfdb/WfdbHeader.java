package dev.splitlearn.data.wfdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A parsed WFDB header file ({@code NNN.hea}) of a single-segment record.
 *
 * <p>The record line is {@code name nsig [fs[/counterfreq[(base)]] [nsamp [time [date]]]]}; each of
 * the {@code nsig} signal lines is {@code file format [gain[(baseline)][/units] [adcres [adczero
 * [initval [checksum [blocksize [description]]]]]]]}. Lines starting with {@code #} are comments
 * (MIT-BIH keeps age, sex and medications there).
 *
 * @param recordName the record name, e.g. {@code "100"}
 * @param samplingFrequency samples per second per signal (WFDB default 250)
 * @param numSamples samples per signal, or -1 if the header does not say
 * @param signals one spec per signal, in file order
 * @param comments comment lines without the leading {@code #}
 */
public record WfdbHeader(
    String recordName,
    double samplingFrequency,
    long numSamples,
    List<SignalSpec> signals,
    List<String> comments) {

  /** WFDB's default sampling frequency when the header gives none. */
  public static final double DEFAULT_FREQUENCY = 250;

  /** WFDB's default gain when the header gives none or 0. */
  public static final double DEFAULT_GAIN = 200;

  /** Copies the lists. */
  public WfdbHeader {
    signals = List.copyOf(signals);
    comments = List.copyOf(comments);
  }

  /**
   * @return the number of signals
   */
  public int numSignals() {
    return signals.size();
  }

  /**
   * Reads and parses a header file.
   *
   * @param file the {@code .hea} file
   * @return the header
   * @throws IOException if the file cannot be read or a line is malformed (the message names the
   *     file and line)
   */
  public static WfdbHeader read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.ISO_8859_1), file.toString());
  }

  /**
   * Parses header text.
   *
   * @param text the header contents
   * @param source the file name used in error messages
   * @return the header
   * @throws IOException if a line is malformed
   */
  public static WfdbHeader parse(String text, String source) throws IOException {
    List<String> comments = new ArrayList<>();
    List<String[]> lines = new ArrayList<>();
    List<Integer> lineNumbers = new ArrayList<>();
    String[] all = text.split("\r?\n");
    for (int i = 0; i < all.length; i++) {
      String line = all[i].strip();
      if (line.startsWith("#")) {
        comments.add(line.substring(1).strip());
      } else if (!line.isEmpty()) {
        lines.add(line.split("\\s+"));
        lineNumbers.add(i + 1);
      }
    }
    if (lines.isEmpty()) {
      throw new IOException(source + ": no record line");
    }
    String[] rec = lines.get(0);
    if (rec.length < 2) {
      throw new IOException(
          source
              + ": line "
              + lineNumbers.get(0)
              + ": record line needs a name and a signal count");
    }
    if (rec[0].contains("/")) {
      throw new IOException(source + ": multi-segment records (" + rec[0] + ") are not supported");
    }
    int nsig = parseInt(rec[1], source, lineNumbers.get(0), "signal count");
    double fs =
        rec.length > 2 ? parseFrequency(rec[2], source, lineNumbers.get(0)) : DEFAULT_FREQUENCY;
    long nsamp =
        rec.length > 3 ? parseLong(rec[3], source, lineNumbers.get(0), "sample count") : -1;
    if (nsig < 0 || nsamp < -1 || fs <= 0) {
      throw new IOException(
          source + ": line " + lineNumbers.get(0) + ": bad record line " + String.join(" ", rec));
    }
    if (lines.size() - 1 < nsig) {
      throw new IOException(
          source
              + ": record line announces "
              + nsig
              + " signals, found "
              + (lines.size() - 1)
              + " signal lines");
    }
    List<SignalSpec> signals = new ArrayList<>();
    for (int s = 0; s < nsig; s++) {
      signals.add(parseSignal(lines.get(s + 1), source, lineNumbers.get(s + 1)));
    }
    return new WfdbHeader(rec[0], fs, nsamp == 0 ? -1 : nsamp, signals, comments);
  }

  private static SignalSpec parseSignal(String[] f, String source, int line) throws IOException {
    if (f.length < 2) {
      throw new IOException(
          source + ": line " + line + ": signal line needs a file name and a format");
    }
    if (!f[1].matches("\\d+")) {
      throw new IOException(
          source
              + ": line "
              + line
              + ": unsupported format '"
              + f[1]
              + "' (skew, offset and sample-frequency multipliers are not supported)");
    }
    int format = parseInt(f[1], source, line, "format");
    double gain = DEFAULT_GAIN;
    Integer baseline = null;
    String units = "mV";
    if (f.length > 2) {
      String g = f[2];
      int slash = g.indexOf('/');
      if (slash >= 0) {
        units = g.substring(slash + 1);
        g = g.substring(0, slash);
      }
      int paren = g.indexOf('(');
      if (paren >= 0) {
        if (!g.endsWith(")")) {
          throw new IOException(source + ": line " + line + ": bad gain field '" + f[2] + "'");
        }
        baseline = parseInt(g.substring(paren + 1, g.length() - 1), source, line, "baseline");
        g = g.substring(0, paren);
      }
      try {
        gain = Double.parseDouble(g);
      } catch (NumberFormatException e) {
        throw new IOException(source + ": line " + line + ": bad gain '" + f[2] + "'", e);
      }
      if (gain == 0) {
        gain = DEFAULT_GAIN;
      }
    }
    int adcRes =
        f.length > 3 ? parseInt(f[3], source, line, "ADC resolution") : (format == 212 ? 12 : 0);
    int adcZero = f.length > 4 ? parseInt(f[4], source, line, "ADC zero") : 0;
    int initial = f.length > 5 ? parseInt(f[5], source, line, "initial value") : adcZero;
    OptionalInt checksum =
        f.length > 6
            ? OptionalInt.of(parseInt(f[6], source, line, "checksum"))
            : OptionalInt.empty();
    int blockSize = f.length > 7 ? parseInt(f[7], source, line, "block size") : 0;
    StringBuilder desc = new StringBuilder();
    for (int i = 8; i < f.length; i++) {
      desc.append(i > 8 ? " " : "").append(f[i]);
    }
    return new SignalSpec(
        f[0],
        format,
        gain,
        baseline == null ? adcZero : baseline,
        units,
        adcRes,
        adcZero,
        initial,
        checksum,
        blockSize,
        desc.toString());
  }

  private static double parseFrequency(String s, String source, int line) throws IOException {
    int cut = s.length();
    for (char c : new char[] {'/', '('}) {
      int i = s.indexOf(c);
      if (i >= 0) {
        cut = Math.min(cut, i);
      }
    }
    try {
      return Double.parseDouble(s.substring(0, cut));
    } catch (NumberFormatException e) {
      throw new IOException(source + ": line " + line + ": bad sampling frequency '" + s + "'", e);
    }
  }

  private static int parseInt(String s, String source, int line, String what) throws IOException {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IOException(source + ": line " + line + ": bad " + what + " '" + s + "'", e);
    }
  }

  private static long parseLong(String s, String source, int line, String what) throws IOException {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new IOException(source + ": line " + line + ": bad " + what + " '" + s + "'", e);
    }
  }
}
