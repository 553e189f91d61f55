package dev.splitlearn.data;

import dev.splitlearn.data.wfdb.Annotation;
import dev.splitlearn.data.wfdb.Annotations;
import dev.splitlearn.data.wfdb.WfdbRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Heartbeats of the MIT-BIH Arrhythmia Database (Moody and Mark 2001) as a five-class data set.
 *
 * <p><b>Beats.</b> Every annotation whose symbol maps to an {@link AamiClass} is a beat; its time
 * is the R peak. The beat is cut from the lead {@value #LEAD} (found by the signal description;
 * records 102 and 104 have no MLII and use their first signal, V5, instead) as a window of {@code
 * w} samples holding the peak at index {@link #peakOffset(int) w / 2}: samples {@code [t - w/2, t -
 * w/2 + w)}. For the default {@code w = 128} at 360 Hz that is 178 ms either side of the R peak.
 * Beats whose window does not lie inside the record are skipped. Each beat is z-score normalised on
 * its own: {@code (x - mean) / std} over its window (population standard deviation; a flat window
 * becomes all zeros), so gain and baseline drop out. Samples have shape {@code {1, w}}; labels are
 * {@link AamiClass} ordinals.
 *
 * <p><b>Splits.</b> See {@link MitBihSplit}.
 */
public final class MitBih {

  /** The lead beats are cut from. */
  public static final String LEAD = "MLII";

  /** The 48 records of the database. */
  public static final List<String> RECORDS =
      List.of(
          "100", "101", "102", "103", "104", "105", "106", "107", "108", "109", "111", "112", "113",
          "114", "115", "116", "117", "118", "119", "121", "122", "123", "124", "200", "201", "202",
          "203", "205", "207", "208", "209", "210", "212", "213", "214", "215", "217", "219", "220",
          "221", "222", "223", "228", "230", "231", "232", "233", "234");

  /** de Chazal et al. (2004) training records. */
  public static final List<String> DS1 =
      List.of(
          "101", "106", "108", "109", "112", "114", "115", "116", "118", "119", "122", "124", "201",
          "203", "205", "207", "208", "209", "215", "220", "223", "230");

  /** de Chazal et al. (2004) test records. */
  public static final List<String> DS2 =
      List.of(
          "100", "103", "105", "111", "113", "117", "121", "123", "200", "202", "210", "212", "213",
          "214", "219", "221", "222", "228", "231", "232", "233", "234");

  /** The five AAMI classes, in label order (the class names of MIT-BIH data sets). */
  public static final List<String> AAMI = AamiClass.NAMES;

  /** Records with paced beats, left out of AAMI evaluations. */
  public static final List<String> PACED = List.of("102", "104", "107", "217");

  private MitBih() {}

  /**
   * Where the R peak sits in a beat window: the window starts this many samples before the peak.
   *
   * @param window the window length
   * @return {@code window / 2}
   */
  public static int peakOffset(int window) {
    return window / 2;
  }

  /**
   * Cuts one beat and z-score normalises it.
   *
   * @param signal the lead's raw samples
   * @param peak the R-peak sample index
   * @param window the window length
   * @param dst destination, {@code window} floats from {@code offset}
   * @param offset where to write
   * @return false (writing nothing) if the window does not lie inside the signal
   */
  public static boolean cutBeat(int[] signal, long peak, int window, float[] dst, int offset) {
    long start = peak - peakOffset(window);
    if (start < 0 || start + window > signal.length) {
      return false;
    }
    int s = (int) start;
    double sum = 0;
    for (int k = 0; k < window; k++) {
      sum += signal[s + k];
    }
    double mean = sum / window;
    double ss = 0;
    for (int k = 0; k < window; k++) {
      double d = signal[s + k] - mean;
      ss += d * d;
    }
    double std = Math.sqrt(ss / window);
    double scale = std > 1e-9 ? 1 / std : 0;
    for (int k = 0; k < window; k++) {
      dst[offset + k] = (float) ((signal[s + k] - mean) * scale);
    }
    return true;
  }

  /**
   * The beats of some records, with the record each beat came from.
   *
   * @param dataset the beats, shape {@code {1, window}}, AAMI labels
   * @param records the records read, in order
   * @param recordOf for each beat, its record's index in {@code records}
   * @param skipped beats left out because their window did not fit inside the record
   */
  public record Beats(Dataset dataset, List<String> records, int[] recordOf, int skipped) {
    /** Copies the arrays. */
    public Beats {
      records = List.copyOf(records);
      recordOf = recordOf.clone();
    }

    /**
     * @return a copy of the record index of each beat
     */
    @Override
    public int[] recordOf() {
      return recordOf.clone();
    }
  }

  /**
   * Reads records (verifying their checksums) and cuts their beats, record after record in time
   * order.
   *
   * @param dir the folder holding {@code NNN.hea}, {@code NNN.dat}, {@code NNN.atr}
   * @param records record names
   * @param window beat window length in samples
   * @param name the data set name
   * @return the beats
   * @throws IOException if a record is missing or malformed
   */
  public static Beats beats(Path dir, List<String> records, int window, String name)
      throws IOException {
    List<float[]> parts = new ArrayList<>();
    List<int[]> labelParts = new ArrayList<>();
    int total = 0;
    int skipped = 0;
    for (String r : records) {
      WfdbRecord rec = WfdbRecord.read(dir, r);
      int lead = Math.max(0, rec.signalIndex(LEAD));
      int[] signal = rec.samples(lead);
      List<Annotation> ann = Annotations.read(dir.resolve(r + ".atr")).list();
      float[] f = new float[ann.size() * window];
      int[] l = new int[ann.size()];
      int n = 0;
      for (Annotation a : ann) {
        AamiClass c = AamiClass.ofCode(a.code());
        if (c == null) {
          continue;
        }
        if (cutBeat(signal, a.time(), window, f, n * window)) {
          l[n++] = c.ordinal();
        } else {
          skipped++;
        }
      }
      parts.add(Arrays.copyOf(f, n * window));
      labelParts.add(Arrays.copyOf(l, n));
      total += n;
    }
    float[] features = new float[Math.multiplyExact(total, window)];
    int[] labels = new int[total];
    int[] recordOf = new int[total];
    int at = 0;
    for (int k = 0; k < parts.size(); k++) {
      int[] l = labelParts.get(k);
      System.arraycopy(parts.get(k), 0, features, at * window, l.length * window);
      System.arraycopy(l, 0, labels, at, l.length);
      Arrays.fill(recordOf, at, at + l.length, k);
      at += l.length;
    }
    Dataset d = Dataset.wrap(name, new int[] {1, window}, features, labels, AamiClass.NAMES);
    return new Beats(d, records, recordOf, skipped);
  }

  /**
   * Loads the train and test beats for the options' split, window, seed and test fraction.
   *
   * @param dir the folder holding the 48 records
   * @param options the options
   * @return train and test beats, named {@code mitbih/train} and {@code mitbih/test}
   * @throws IOException if a record is missing or malformed
   */
  public static TrainTest load(Path dir, DataOptions options) throws IOException {
    int w = options.beatWindow();
    if (options.split() == MitBihSplit.INTER_PATIENT) {
      return new TrainTest(
          beats(dir, DS1, w, "mitbih/train").dataset(),
          beats(dir, DS2, w, "mitbih/test").dataset());
    }
    List<String> records =
        RECORDS.stream().filter(r -> !(options.excludePaced() && PACED.contains(r))).toList();
    Dataset all = beats(dir, records, w, "mitbih").dataset();
    int[][] split =
        stratifiedSplit(all.labels(), all.numClasses(), options.testFraction(), options.seed());
    return new TrainTest(
        all.subset(split[0]).withName("mitbih/train"),
        all.subset(split[1]).withName("mitbih/test"));
  }

  /**
   * Splits sample indices per class: each class's indices are shuffled with the seed and the first
   * {@code round(count * testFraction)} go to the test side. Both sides are returned sorted.
   *
   * @return {@code {train, test}} indices
   */
  static int[][] stratifiedSplit(int[] labels, int numClasses, double testFraction, long seed) {
    Random rng = new Random(seed);
    boolean[] test = new boolean[labels.length];
    int nTest = 0;
    for (int c = 0; c < numClasses; c++) {
      int count = 0;
      for (int l : labels) {
        count += l == c ? 1 : 0;
      }
      int[] members = new int[count];
      int k = 0;
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] == c) {
          members[k++] = i;
        }
      }
      Partitioner.shuffle(members, rng);
      int take = (int) Math.round(count * testFraction);
      for (int j = 0; j < take; j++) {
        test[members[j]] = true;
      }
      nTest += take;
    }
    int[] tr = new int[labels.length - nTest];
    int[] te = new int[nTest];
    int a = 0;
    int b = 0;
    for (int i = 0; i < labels.length; i++) {
      if (test[i]) {
        te[b++] = i;
      } else {
        tr[a++] = i;
      }
    }
    return new int[][] {tr, te};
  }
}
