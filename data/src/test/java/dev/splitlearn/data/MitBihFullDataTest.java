package dev.splitlearn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.data.wfdb.Annotations;
import dev.splitlearn.data.wfdb.WfdbRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the readers against facts of the real database (needs $SPLITLEARN_DATA filled by
 * fetch-data).
 */
@EnabledIfEnvironmentVariable(named = "SPLITLEARN_DATA", matches = ".+")
class MitBihFullDataTest {
  private static final Path ROOT = Path.of(System.getenv().getOrDefault("SPLITLEARN_DATA", "."));
  private static final Path DIR = ROOT.resolve("mitbih");

  @Test
  void everyRecordVerifiesAndAnnotationCountsMatchThePublishedOnes() throws IOException {
    Map<String, Integer> counts = new TreeMap<>();
    for (String name : MitBih.RECORDS) {
      WfdbRecord r = WfdbRecord.read(DIR, name); // throws on a checksum or initial-value mismatch
      assertEquals(2, r.numSignals(), name);
      assertEquals(650_000, r.numSamples(), name);
      assertEquals(360.0, r.fs(), name);
      Annotations.read(DIR.resolve(name + ".atr"))
          .symbolCounts()
          .forEach((s, n) -> counts.merge(s, n, Integer::sum));
    }
    Map<String, Integer> expected =
        Map.ofEntries(
            Map.entry("N", 75_052),
            Map.entry("L", 8_075),
            Map.entry("R", 7_259),
            Map.entry("V", 7_130),
            Map.entry("/", 7_028),
            Map.entry("A", 2_546),
            Map.entry("f", 982),
            Map.entry("F", 803),
            Map.entry("j", 229),
            Map.entry("a", 150),
            Map.entry("E", 106),
            Map.entry("J", 83),
            Map.entry("Q", 33),
            Map.entry("e", 16),
            Map.entry("S", 2));
    expected.forEach((s, n) -> assertEquals(n, counts.get(s), "annotations '" + s + "'"));
    assertEquals(109_494, expected.keySet().stream().mapToInt(counts::get).sum());
    System.out.println("MIT-BIH annotation symbol counts: " + counts);
  }

  @Test
  void mliiIsFoundWhereverItIs() throws IOException {
    assertEquals(1, WfdbRecord.read(DIR, "114").signalIndex("MLII"), "114 has V5 first");
    assertEquals(-1, WfdbRecord.read(DIR, "102").signalIndex("MLII"), "102 has V5 and V2");
  }

  @Test
  void intraPatientSplitIsStratifiedAndComplete() throws IOException {
    long t0 = System.nanoTime();
    TrainTest tt =
        DataSets.load("mitbih", DataOptions.builder().optDataDir(ROOT).optDownload(false).build());
    double seconds = (System.nanoTime() - t0) / 1e9;
    int[] tr = tt.train().classCounts();
    int[] te = tt.test().classCounts();
    int total = tt.train().size() + tt.test().size();
    System.out.printf(
        "MIT-BIH intra-patient (window 128, 48 records) AAMI N,S,V,F,Q: train %s test %s, "
            + "total %d, loaded in %.1f s%n",
        Arrays.toString(tr), Arrays.toString(te), total, seconds);
    assertTrue(total > 109_000 && total <= 109_494, "beats kept: " + total);
    for (int c = 0; c < 5; c++) {
      assertEquals(
          0.2, te[c] / (double) (tr[c] + te[c]), 0.01, "test share of " + MitBih.AAMI.get(c));
    }
    assertArrayEquals(new int[] {1, 128}, tt.train().sampleShape());
    assertEquals("mitbih/train", tt.train().name());
    TrainTest again = MitBih.load(DIR, DataOptions.builder().build());
    assertEquals(
        tt.train().sha256(), again.train().sha256(), "the split is deterministic for a seed");
  }

  @Test
  void interPatientSplitUsesDs1AndDs2() throws IOException {
    TrainTest tt =
        MitBih.load(DIR, DataOptions.builder().optSplit(MitBihSplit.INTER_PATIENT).build());
    int[] tr = tt.train().classCounts();
    int[] te = tt.test().classCounts();
    System.out.printf(
        "MIT-BIH inter-patient (window 128) AAMI N,S,V,F,Q: DS1 %s (%d) DS2 %s (%d)%n",
        Arrays.toString(tr), tt.train().size(), Arrays.toString(te), tt.test().size());
    // de Chazal et al. (2004) report DS1 N 45,866 S 944 V 3,788 F 414 Q 8; DS2 N 44,259 S 1,837 V
    // 3,221 F 388 Q 7
    // (their counts drop beats near record edges slightly differently)
    assertEquals(45_866, tr[0], 60);
    assertEquals(944, tr[1], 5);
    assertEquals(3_788, tr[2], 10);
    assertEquals(414, tr[3], 3);
    assertEquals(44_259, te[0], 60);
    assertEquals(1_837, te[1], 5);
    assertEquals(3_221, te[2], 10);
    assertEquals(388, te[3], 3);
  }

  @Test
  void pacedRecordsCanBeLeftOut() throws IOException {
    MitBih.Beats paced = MitBih.beats(DIR, MitBih.PACED, 128, "paced");
    TrainTest without = MitBih.load(DIR, DataOptions.builder().optExcludePaced(true).build());
    TrainTest with = MitBih.load(DIR, DataOptions.builder().build());
    assertEquals(
        with.train().size() + with.test().size() - paced.dataset().size(),
        without.train().size() + without.test().size());
  }

  @Test
  void corruptedSignalFailsItsChecksum(@TempDir Path tmp) throws IOException {
    for (String ext : new String[] {".hea", ".dat", ".atr"}) {
      Files.copy(DIR.resolve("100" + ext), tmp.resolve("100" + ext));
    }
    byte[] dat = Files.readAllBytes(tmp.resolve("100.dat"));
    dat[3000] ^= 0x01;
    Files.write(tmp.resolve("100.dat"), dat);
    IOException e = assertThrows(IOException.class, () -> WfdbRecord.read(tmp, "100"));
    assertTrue(
        e.getMessage().contains("100.dat") && e.getMessage().contains("checksum"), e.getMessage());
  }
}
