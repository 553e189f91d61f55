package dev.splitlearn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/** Checks the reader against facts of the real database (needs $SPLITLEARN_DATA filled by fetch-data). */
@EnabledIfEnvironmentVariable(named = "SPLITLEARN_DATA", matches = ".+")
class MitBihFullDataTest {
  private static final Path DIR = Path.of(System.getenv().getOrDefault("SPLITLEARN_DATA", ".")).resolve("mitbih");

  @Test
  void everyRecordVerifiesAndBeatCountsMatchThePublishedOnes() throws Exception {
    Map<Integer, Integer> counts = new TreeMap<>();
    for (String name : MitBih.RECORDS) {
      WfdbRecord r = WfdbRecord.read(DIR, name); // throws on a checksum mismatch
      assertEquals(650_000, r.signal(0).length, name);
      assertEquals(360.0, r.samplingFrequency(), name);
      for (WfdbRecord.Annotation a : WfdbRecord.readAnnotations(DIR.resolve(name + ".atr"))) {
        counts.merge(a.code(), 1, Integer::sum);
      }
    }
    // WFDB codes: N1 L2 R3 a4 V5 F6 J7 A8 S9 E10 j11 /12 Q13 e34 f38
    Map<Integer, Integer> expected = Map.ofEntries(Map.entry(1, 75_052), Map.entry(2, 8_075),
        Map.entry(3, 7_259), Map.entry(5, 7_130), Map.entry(12, 7_028), Map.entry(8, 2_546),
        Map.entry(38, 982), Map.entry(6, 803), Map.entry(11, 229), Map.entry(4, 150),
        Map.entry(10, 106), Map.entry(7, 83), Map.entry(13, 33), Map.entry(34, 16), Map.entry(9, 2));
    expected.forEach((code, n) -> assertEquals(n, counts.get(code), "beats of code " + code));
  }

  @Test
  void intraPatientSplitIsStratifiedAndComplete() throws Exception {
    TrainTest tt = MitBih.load(DIR, DataOptions.builder().optSeed(1).build());
    int total = tt.train().size() + tt.test().size();
    assertTrue(total > 109_000 && total <= 109_494, "beats kept: " + total);
    int[] tr = tt.train().classCounts();
    int[] te = tt.test().classCounts();
    for (int c = 0; c < 5; c++) {
      double share = te[c] / (double) (tr[c] + te[c]);
      assertEquals(0.2, share, 0.01, "test share of class " + MitBih.AAMI.get(c));
    }
    System.out.printf("MIT-BIH intra-patient AAMI counts train %s test %s%n",
        java.util.Arrays.toString(tr), java.util.Arrays.toString(te));
  }

  @Test
  void corruptedSignalFailsItsChecksum(@TempDir Path tmp) throws Exception {
    for (String ext : new String[] {".hea", ".dat", ".atr"}) {
      Files.copy(DIR.resolve("100" + ext), tmp.resolve("100" + ext));
    }
    byte[] dat = Files.readAllBytes(tmp.resolve("100.dat"));
    dat[3000] ^= 0x01;
    Files.write(tmp.resolve("100.dat"), dat);
    Exception e = assertThrows(java.io.IOException.class, () -> WfdbRecord.read(tmp, "100"));
    assertTrue(e.getMessage().contains("100.dat") && e.getMessage().contains("checksum"), e.getMessage());
  }
}
