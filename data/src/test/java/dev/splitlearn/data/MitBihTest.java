package dev.splitlearn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.data.wfdb.Annotations;
import dev.splitlearn.data.wfdb.WfdbFixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Beat segmentation and AAMI labels on a synthetic record. */
class MitBihTest {
  @TempDir Path dir;

  @Test
  void beatsAreMliiWindowsAroundThePeakZScoredWithAamiLabels() throws IOException {
    int[][] x = WfdbFixtures.writeStandardRecord(dir, "900");
    MitBih.Beats beats = MitBih.beats(dir, List.of("900"), 128, "synthetic");
    Dataset d = beats.dataset();
    // N@30 and F@1990 do not fit a 128-sample window in 2,000 samples; + and ~ are not beats
    assertEquals(2, beats.skipped());
    assertEquals(4, d.size());
    assertArrayEquals(
        new int[] {
          AamiClass.V.ordinal(), AamiClass.S.ordinal(), AamiClass.Q.ordinal(), AamiClass.N.ordinal()
        },
        d.labels(),
        "V@300 A@700 f@1000 e@1500");
    assertArrayEquals(new int[] {0, 0, 0, 0}, beats.recordOf());
    long[] peaks = {300, 700, 1000, 1500};
    float[] got = new float[128];
    for (int b = 0; b < 4; b++) {
      d.copySample(b, got, 0);
      int start = (int) peaks[b] - 64;
      double mean = Arrays.stream(x[1], start, start + 128).average().orElseThrow();
      double var =
          Arrays.stream(x[1], start, start + 128).mapToDouble(v -> (v - mean) * (v - mean)).sum()
              / 128;
      for (int k = 0; k < 128; k++) {
        assertEquals(
            (x[1][start + k] - mean) / Math.sqrt(var), got[k], 1e-5, "beat " + b + " sample " + k);
      }
    }
  }

  @Test
  void windowEdgesAreExact() {
    int[] signal = new int[200];
    for (int i = 0; i < signal.length; i++) {
      signal[i] = i % 17;
    }
    float[] dst = new float[16];
    assertTrue(MitBih.cutBeat(signal, 8, 16, dst, 0), "window [0, 16) fits");
    assertFalse(MitBih.cutBeat(signal, 7, 16, dst, 0), "window [-1, 15) does not");
    assertTrue(MitBih.cutBeat(signal, 192, 16, dst, 0), "window [184, 200) fits");
    assertFalse(MitBih.cutBeat(signal, 193, 16, dst, 0));
    assertEquals(8, MitBih.peakOffset(16));
    int[] flat = new int[40];
    assertTrue(MitBih.cutBeat(flat, 20, 16, dst, 0));
    for (float v : dst) {
      assertEquals(0f, v, "a flat window normalises to zeros");
    }
  }

  @Test
  void aamiMappingCoversTheFifteenBeatSymbols() {
    String[][] classes = {
      {"N", "L", "R", "e", "j"}, {"A", "a", "J", "S"}, {"V", "E"}, {"F"}, {"/", "f", "Q"}
    };
    for (int c = 0; c < classes.length; c++) {
      for (String s : classes[c]) {
        assertEquals(c, AamiClass.ofCode(Annotations.code(s)).ordinal(), s);
        assertEquals(c, AamiClass.ofSymbol(s).orElseThrow().ordinal(), s);
      }
    }
    for (String s : new String[] {"+", "~", "|", "x", "!", "\"", "n"}) {
      assertEquals(null, AamiClass.ofCode(Annotations.code(s)), s);
      assertTrue(AamiClass.ofSymbol(s).isEmpty(), s);
    }
    assertEquals(List.of("N", "S", "V", "F", "Q"), MitBih.AAMI);
  }

  @Test
  void stratifiedSplitHoldsOutTheFractionOfEveryClassAndIsSeeded() {
    int[] labels = new int[1000];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i < 900 ? 0 : i < 990 ? 1 : 2;
    }
    int[][] s = MitBih.stratifiedSplit(labels, 3, 0.2, 5);
    assertEquals(800, s[0].length);
    assertEquals(200, s[1].length);
    int[] testCounts = new int[3];
    for (int i : s[1]) {
      testCounts[labels[i]]++;
    }
    assertArrayEquals(new int[] {180, 18, 2}, testCounts);
    assertArrayEquals(s[1], MitBih.stratifiedSplit(labels, 3, 0.2, 5)[1]);
    assertFalse(Arrays.equals(s[1], MitBih.stratifiedSplit(labels, 3, 0.2, 6)[1]));
    int[] sorted = s[0].clone();
    Arrays.sort(sorted);
    assertArrayEquals(sorted, s[0], "kept in original order");
  }

  @Test
  void recordListsAreTheDocumentedOnes() {
    assertEquals(48, MitBih.RECORDS.size());
    assertEquals(22, MitBih.DS1.size());
    assertEquals(22, MitBih.DS2.size());
    assertTrue(MitBih.DS1.stream().noneMatch(MitBih.DS2::contains));
    assertTrue(
        MitBih.PACED.stream().noneMatch(r -> MitBih.DS1.contains(r) || MitBih.DS2.contains(r)));
    assertEquals(48, MitBih.DS1.size() + MitBih.DS2.size() + MitBih.PACED.size());
    assertTrue(MitBih.RECORDS.containsAll(MitBih.DS1) && MitBih.RECORDS.containsAll(MitBih.DS2));
  }
}
