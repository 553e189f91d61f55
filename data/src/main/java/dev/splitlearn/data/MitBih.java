package dev.splitlearn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The MIT-BIH Arrhythmia Database as a beat classification data set: each annotated beat becomes a
 * window of lead MLII centred on its R peak, z-scored per beat, labelled with its AAMI class.
 * Records 102 and 104 have no MLII lead; their first signal is used. Beats whose window leaves the
 * record are skipped.
 */
public final class MitBih {
  /** The 48 records. */
  public static final List<String> RECORDS = List.of("100", "101", "102", "103", "104", "105", "106",
      "107", "108", "109", "111", "112", "113", "114", "115", "116", "117", "118", "119", "121", "122",
      "123", "124", "200", "201", "202", "203", "205", "207", "208", "209", "210", "212", "213", "214",
      "215", "217", "219", "220", "221", "222", "223", "228", "230", "231", "232", "233", "234");
  /** Records with paced beats, usually left out of AAMI evaluations. */
  public static final List<String> PACED = List.of("102", "104", "107", "217");
  /** de Chazal et al. (2004) training records. */
  public static final List<String> DS1 = List.of("101", "106", "108", "109", "112", "114", "115", "116",
      "118", "119", "122", "124", "201", "203", "205", "207", "208", "209", "215", "220", "223", "230");
  /** de Chazal et al. (2004) test records. */
  public static final List<String> DS2 = List.of("100", "103", "105", "111", "113", "117", "121", "123",
      "200", "202", "210", "212", "213", "214", "219", "221", "222", "228", "231", "232", "233", "234");
  /** The five AAMI classes, in label order. */
  public static final List<String> AAMI = List.of("N", "S", "V", "F", "Q");

  private MitBih() {}

  /** AAMI class of a WFDB beat code, or -1 for annotations that are not beats. */
  public static int aamiClass(int code) {
    switch (code) {
      case 1: case 2: case 3: case 34: case 11: return 0; // N L R e j
      case 8: case 4: case 7: case 9: return 1;           // A a J S
      case 5: case 10: return 2;                          // V E
      case 6: return 3;                                   // F
      case 12: case 38: case 13: return 4;                // / f Q
      default: return -1;
    }
  }

  /** Loads beats from the records under {@code dir} and splits them as {@code options} say. */
  public static TrainTest load(Path dir, DataOptions options) throws IOException {
    int window = options.beatWindow();
    if (options.split() == MitBihSplit.INTER_PATIENT) {
      return new TrainTest(beats(dir, DS1, window), beats(dir, DS2, window));
    }
    List<String> records = new ArrayList<>(RECORDS);
    if (options.excludePaced()) {
      records.removeAll(PACED);
    }
    Dataset all = beats(dir, records, window);
    return stratifiedSplit(all, options.testFraction(), options.seed());
  }

  /** All beats of {@code records}. */
  public static Dataset beats(Path dir, List<String> records, int window) throws IOException {
    FloatList x = new FloatList();
    List<Integer> y = new ArrayList<>();
    for (String name : records) {
      WfdbRecord rec = WfdbRecord.read(dir, name);
      int[] lead = rec.signal(rec.signalIndex("MLII").orElse(0));
      for (WfdbRecord.Annotation a : WfdbRecord.readAnnotations(dir.resolve(name + ".atr"))) {
        int cls = aamiClass(a.code());
        int start = (int) a.sample() - window / 2;
        if (cls < 0 || start < 0 || start + window > lead.length) {
          continue;
        }
        x.addBeat(lead, start, window);
        y.add(cls);
      }
    }
    int[] labels = y.stream().mapToInt(Integer::intValue).toArray();
    return Dataset.of("mitbih", new int[] {1, window}, x.toArray(), labels, AAMI);
  }

  private static TrainTest stratifiedSplit(Dataset all, double testFraction, long seed) {
    Random r = new Random(seed);
    List<Integer> train = new ArrayList<>();
    List<Integer> test = new ArrayList<>();
    for (int c = 0; c < all.numClasses(); c++) {
      List<Integer> idx = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        if (all.label(i) == c) {
          idx.add(i);
        }
      }
      java.util.Collections.shuffle(idx, r);
      int nTest = (int) Math.round(idx.size() * testFraction);
      test.addAll(idx.subList(0, nTest));
      train.addAll(idx.subList(nTest, idx.size()));
    }
    java.util.Collections.sort(train);
    java.util.Collections.sort(test);
    return new TrainTest(all.subset(train.stream().mapToInt(Integer::intValue).toArray()),
        all.subset(test.stream().mapToInt(Integer::intValue).toArray()));
  }

  /** A growable float buffer of z-scored beats. */
  private static final class FloatList {
    private float[] data = new float[1 << 20];
    private int size;

    void addBeat(int[] lead, int start, int window) {
      if (size + window > data.length) {
        data = java.util.Arrays.copyOf(data, Math.max(data.length * 2, size + window));
      }
      double mean = 0;
      for (int i = 0; i < window; i++) {
        mean += lead[start + i];
      }
      mean /= window;
      double var = 0;
      for (int i = 0; i < window; i++) {
        double d = lead[start + i] - mean;
        var += d * d;
      }
      double sd = Math.sqrt(var / window);
      double scale = sd > 1e-9 ? 1 / sd : 0;
      for (int i = 0; i < window; i++) {
        data[size++] = (float) ((lead[start + i] - mean) * scale);
      }
    }

    float[] toArray() {
      return java.util.Arrays.copyOf(data, size);
    }
  }
}
