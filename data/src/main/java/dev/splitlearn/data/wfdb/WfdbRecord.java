package dev.splitlearn.data.wfdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A WFDB record read into memory: its header and the samples of every signal, verified against the
 * header's checksums and initial values.
 *
 * <p>Immutable; {@link #samples(int)} returns a copy.
 */
public final class WfdbRecord {

  private final WfdbHeader header;
  private final int[][] samples;

  private WfdbRecord(WfdbHeader header, int[][] samples) {
    this.header = header;
    this.samples = samples;
  }

  /**
   * Reads {@code dir/name.hea} and the signal files it names, and verifies every signal: its first
   * sample must equal the header's initial value and the sum of its samples mod 2^16 (as a signed
   * short) must equal the header's checksum.
   *
   * @param dir the directory holding the record's files
   * @param name the record name, e.g. {@code "100"}
   * @return the record
   * @throws IOException if a file is missing or unreadable, the header is malformed, a signal
   *     format other than 212 is used, a signal file's length does not match the header, or a
   *     checksum or initial value does not match (the message names the file and signal)
   */
  public static WfdbRecord read(Path dir, String name) throws IOException {
    Path hea = dir.resolve(name + ".hea");
    if (!Files.isRegularFile(hea)) {
      throw new NoSuchFileException(hea.toString(), null, "missing WFDB header");
    }
    WfdbHeader header = WfdbHeader.read(hea);
    List<SignalSpec> specs = header.signals();
    Map<String, List<Integer>> byFile = new LinkedHashMap<>();
    for (int s = 0; s < specs.size(); s++) {
      SignalSpec spec = specs.get(s);
      if (spec.format() != 212) {
        throw new IOException(
            hea
                + ": signal "
                + s
                + " uses format "
                + spec.format()
                + "; only format 212 is supported");
      }
      byFile.computeIfAbsent(spec.fileName(), k -> new ArrayList<>()).add(s);
    }
    int[][] samples = new int[specs.size()][];
    long nsamp = header.numSamples();
    for (Map.Entry<String, List<Integer>> e : byFile.entrySet()) {
      Path dat = dir.resolve(e.getKey());
      int[][] decoded = readSignalFile(dat, hea, e.getValue().size(), nsamp);
      for (int k = 0; k < decoded.length; k++) {
        samples[e.getValue().get(k)] = decoded[k];
      }
    }
    for (int s = 0; s < specs.size(); s++) {
      verify(specs.get(s), s, samples[s], dir.resolve(specs.get(s).fileName()), hea);
    }
    return new WfdbRecord(header, samples);
  }

  private static int[][] readSignalFile(Path dat, Path hea, int nsig, long nsamp)
      throws IOException {
    if (!Files.isRegularFile(dat)) {
      throw new NoSuchFileException(
          dat.toString(), null, "missing WFDB signal file named in " + hea);
    }
    byte[] data = Files.readAllBytes(dat);
    long n = nsamp >= 0 ? nsamp : (long) data.length * 2 / 3 / nsig;
    long expected = Format212.byteLength(n * nsig);
    if (data.length != expected) {
      throw new IOException(
          dat
              + ": length "
              + data.length
              + " bytes does not match header "
              + hea
              + " ("
              + n
              + " samples x "
              + nsig
              + " signals in format 212 = "
              + expected
              + " bytes)"
              + (data.length < expected ? ", truncated" : ""));
    }
    return Format212.decode(data, nsig, Math.toIntExact(n));
  }

  private static void verify(SignalSpec spec, int s, int[] x, Path dat, Path hea)
      throws IOException {
    String which = dat + ": signal " + s + " (" + spec.description() + ")";
    if (x.length > 0 && x[0] != spec.initialValue()) {
      throw new IOException(
          which
              + " starts with "
              + x[0]
              + " but "
              + hea
              + " gives initial value "
              + spec.initialValue());
    }
    if (spec.checksum().isPresent()) {
      int sum = 0;
      for (int v : x) {
        sum += v;
      }
      short got = (short) sum;
      if (got != (short) spec.checksum().getAsInt()) {
        throw new IOException(
            which
                + " checksum "
                + got
                + " does not match "
                + spec.checksum().getAsInt()
                + " in "
                + hea);
      }
    }
  }

  /**
   * @return the parsed header
   */
  public WfdbHeader header() {
    return header;
  }

  /**
   * @return the record name, e.g. {@code "100"}
   */
  public String name() {
    return header.recordName();
  }

  /**
   * @return the sampling frequency in Hz (360 for MIT-BIH)
   */
  public double fs() {
    return header.samplingFrequency();
  }

  /**
   * @return the number of signals
   */
  public int numSignals() {
    return samples.length;
  }

  /**
   * @return samples per signal (650,000 for MIT-BIH)
   */
  public int numSamples() {
    return samples.length == 0 ? 0 : samples[0].length;
  }

  /**
   * @param signal signal index
   * @return the signal's ADC gain (ADC units per physical unit)
   */
  public double gain(int signal) {
    return header.signals().get(signal).gain();
  }

  /**
   * @return the gains of all signals, in signal order
   */
  public double[] gains() {
    double[] g = new double[samples.length];
    for (int s = 0; s < g.length; s++) {
      g[s] = gain(s);
    }
    return g;
  }

  /**
   * @param signal signal index
   * @return the signal's description, e.g. {@code MLII}
   */
  public String description(int signal) {
    return header.signals().get(signal).description();
  }

  /**
   * @param description a signal description such as {@code MLII}
   * @return the index of the first signal with exactly that description, or -1
   */
  public int signalIndex(String description) {
    Objects.requireNonNull(description, "description");
    for (int s = 0; s < samples.length; s++) {
      if (description.equals(description(s))) {
        return s;
      }
    }
    return -1;
  }

  /**
   * @param signal signal index
   * @return a copy of the signal's raw ADC samples
   */
  public int[] samples(int signal) {
    return samples[signal].clone();
  }

  /**
   * @param signal signal index
   * @param t sample index
   * @return the raw ADC value of sample {@code t}
   */
  public int sample(int signal, int t) {
    return samples[signal][t];
  }

  /**
   * @param signal signal index
   * @param t sample index
   * @return the value of sample {@code t} in physical units: {@code (adc - baseline) / gain}
   */
  public double physical(int signal, int t) {
    SignalSpec spec = header.signals().get(signal);
    return (samples[signal][t] - spec.baseline()) / spec.gain();
  }
}
