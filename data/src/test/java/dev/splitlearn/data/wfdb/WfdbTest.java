package dev.splitlearn.data.wfdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WfdbTest {
  @TempDir Path dir;

  @Test
  void format212PacksTwelveBitPairsAsDocumented() {
    // a = 0x123, b = -2 (0xFFE): byte0 = 0x23, byte1 = high nibble of b | high nibble of a = 0xF1,
    // byte2 = 0xFE
    byte[] b = Format212.encode(new int[][] {{0x123}, {-2}});
    assertArrayEquals(new byte[] {0x23, (byte) 0xF1, (byte) 0xFE}, b);
    assertArrayEquals(new int[][] {{0x123}, {-2}}, Format212.decode(b, 2, 1));
    // an odd final value takes two bytes
    byte[] odd = Format212.encode(new int[][] {{-2048, 2047, -1}});
    assertEquals(5, odd.length);
    assertArrayEquals(new int[] {-2048, 2047, -1}, Format212.decode(odd, 1, 3)[0]);
  }

  @Property(tries = 50)
  void format212RoundTrips(
      @ForAll @Size(min = 1, max = 40) List<@IntRange(min = -2048, max = 2047) Integer> v,
      @ForAll @IntRange(min = 1, max = 3) int nsig) {
    int nsamp = v.size();
    int[][] x = new int[nsig][nsamp];
    for (int s = 0; s < nsig; s++) {
      for (int t = 0; t < nsamp; t++) {
        x[s][t] = v.get((t + s * 7) % nsamp);
      }
    }
    byte[] b = Format212.encode(x);
    assertEquals(Format212.byteLength((long) nsig * nsamp), b.length);
    assertTrue(Arrays.deepEquals(x, Format212.decode(b, nsig, nsamp)));
  }

  @Test
  void recordDecodesToTheGeneratedSamplesAndFindsMlii() throws IOException {
    int[][] x = WfdbFixtures.writeStandardRecord(dir, "900");
    WfdbRecord r = WfdbRecord.read(dir, "900");
    assertEquals("900", r.name());
    assertEquals(2, r.numSignals());
    assertEquals(2000, r.numSamples());
    assertEquals(360.0, r.fs());
    assertArrayEquals(new double[] {200, 200}, r.gains());
    assertArrayEquals(x[0], r.samples(0));
    assertArrayEquals(x[1], r.samples(1));
    assertEquals(1, r.signalIndex("MLII"), "MLII is the second signal here");
    assertEquals(-1, r.signalIndex("V5"));
    assertEquals((x[1][5] - 1024) / 200.0, r.physical(1, 5), 1e-12);
    assertEquals(List.of("69 M 1085 1629 x1", "synthetic"), r.header().comments());
  }

  @Test
  void checksumMismatchNamesTheFile() throws IOException {
    WfdbFixtures.writeRecord(
        dir,
        "901",
        new int[][] {WfdbFixtures.signal(500, 0, 1), WfdbFixtures.signal(500, 3, 2)},
        new String[] {"MLII", "V5"},
        1);
    IOException e = assertThrows(IOException.class, () -> WfdbRecord.read(dir, "901"));
    assertTrue(
        e.getMessage().contains("901.dat")
            && e.getMessage().contains("checksum")
            && e.getMessage().contains("MLII"),
        e.getMessage());
  }

  @Test
  void flippedBitFailsTheChecksum() throws IOException {
    WfdbFixtures.writeStandardRecord(dir, "902");
    byte[] dat = Files.readAllBytes(dir.resolve("902.dat"));
    dat[301] ^= 0x01;
    Files.write(dir.resolve("902.dat"), dat);
    IOException e = assertThrows(IOException.class, () -> WfdbRecord.read(dir, "902"));
    assertTrue(
        e.getMessage().contains("902.dat") && e.getMessage().contains("checksum"), e.getMessage());
  }

  @Test
  void wrongInitialValueIsReported() throws IOException {
    WfdbFixtures.writeStandardRecord(dir, "903");
    Path hea = dir.resolve("903.hea");
    List<String> lines = Files.readAllLines(hea);
    String[] f = lines.get(1).split(" ");
    f[5] = Integer.toString(Integer.parseInt(f[5]) + 1);
    lines.set(1, String.join(" ", f));
    Files.write(hea, lines);
    IOException e = assertThrows(IOException.class, () -> WfdbRecord.read(dir, "903"));
    assertTrue(
        e.getMessage().contains("903.dat") && e.getMessage().contains("initial value"),
        e.getMessage());
  }

  @Test
  void truncatedSignalFileIsReported() throws IOException {
    WfdbFixtures.writeStandardRecord(dir, "904");
    byte[] dat = Files.readAllBytes(dir.resolve("904.dat"));
    Files.write(dir.resolve("904.dat"), Arrays.copyOf(dat, dat.length - 3));
    IOException e = assertThrows(IOException.class, () -> WfdbRecord.read(dir, "904"));
    assertTrue(
        e.getMessage().contains("904.dat") && e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void malformedHeadersAreReportedWithFileAndLine() throws IOException {
    IOException e =
        assertThrows(
            IOException.class,
            () -> WfdbHeader.parse("905 1 360 100\n905.dat 212 2x0 11\n", "905.hea"));
    assertTrue(e.getMessage().startsWith("905.hea: line 2: bad gain '2x0'"), e.getMessage());
    Files.writeString(dir.resolve("909.hea"), "909 1 360 100\n909.dat 16 200 16 0 0 0 0 MLII\n");
    e = assertThrows(IOException.class, () -> WfdbRecord.read(dir, "909"));
    assertTrue(
        e.getMessage().contains("909.hea") && e.getMessage().contains("only format 212"),
        e.getMessage());
    Files.writeString(
        dir.resolve("906.hea"), "906 2 360 100\n906.dat 212 200 11 1024 0 0 0 MLII\n");
    e = assertThrows(IOException.class, () -> WfdbRecord.read(dir, "906"));
    assertTrue(
        e.getMessage().contains("906.hea") && e.getMessage().contains("2 signals"), e.getMessage());
    e = assertThrows(IOException.class, () -> WfdbHeader.parse("907 x 360\n", "907.hea"));
    assertTrue(e.getMessage().contains("907.hea: line 1: bad signal count 'x'"), e.getMessage());
  }

  @Test
  void headerFieldsAndDefaults() throws IOException {
    WfdbHeader h =
        WfdbHeader.parse(
            "# leading comment\nabc 2 250/1000(0) 42\n"
                + "abc.dat 212 100(-5)/uV 12 0 7 123 0 lead II\nabc.dat 212\n",
            "abc.hea");
    assertEquals(250.0, h.samplingFrequency());
    assertEquals(42, h.numSamples());
    SignalSpec a = h.signals().get(0);
    assertEquals(100.0, a.gain());
    assertEquals(-5, a.baseline());
    assertEquals("uV", a.units());
    assertEquals(7, a.initialValue());
    assertEquals(123, a.checksum().getAsInt());
    assertEquals("lead II", a.description());
    SignalSpec b = h.signals().get(1);
    assertEquals(WfdbHeader.DEFAULT_GAIN, b.gain());
    assertTrue(b.checksum().isEmpty());
    assertEquals(12, b.adcResolution());
  }

  @Test
  void annotationsHonourSkipAuxNumSubChn() throws IOException {
    WfdbFixtures.writeStandardRecord(dir, "908");
    Annotations a = Annotations.read(dir.resolve("908.atr"));
    assertEquals(8, a.size());
    assertEquals(
        List.of(30L, 100L, 300L, 700L, 800L, 1000L, 1500L, 1990L),
        a.list().stream().map(Annotation::time).toList());
    assertEquals(
        List.of("N", "+", "V", "A", "~", "f", "e", "F"),
        a.list().stream().map(Annotation::symbol).toList());
    assertEquals("(N", a.get(1).aux());
    assertNull(a.get(2).aux(), "aux does not carry over");
    assertEquals(2, a.get(2).subtype());
    assertEquals(0, a.get(3).subtype(), "subtype does not carry over");
    assertEquals(3, a.get(2).num());
    assertEquals(3, a.get(7).num(), "num carries over");
    assertEquals(0, a.get(2).chan());
    assertEquals(1, a.get(3).chan());
    assertEquals(1, a.get(7).chan(), "chan carries over");
    assertTrue(a.get(0).isBeat());
    assertTrue(!a.get(1).isBeat() && !a.get(4).isBeat());
    assertEquals(1, a.symbolCounts().get("e"));
  }

  @Test
  void oddAuxLengthIsPaddedAndLongSkipsWork() throws IOException {
    byte[] b = new WfdbFixtures.Atr().ann(22, 0).aux("abc").skip(1_000_000).ann(1, 5).end().bytes();
    Annotations a = Annotations.parse(b, "x.atr");
    assertEquals("abc", a.get(0).aux());
    assertEquals("\"", a.get(0).symbol());
    assertEquals(1_000_005L, a.get(1).time());
  }

  @Test
  void corruptAnnotationFilesAreReported() {
    byte[] ok = new WfdbFixtures.Atr().ann(1, 10).ann(5, 10).end().bytes();
    IOException e =
        assertThrows(
            IOException.class, () -> Annotations.parse(Arrays.copyOf(ok, ok.length - 1), "a.atr"));
    assertTrue(e.getMessage().startsWith("a.atr: odd length"), e.getMessage());
    e =
        assertThrows(
            IOException.class, () -> Annotations.parse(Arrays.copyOf(ok, ok.length - 2), "a.atr"));
    assertTrue(e.getMessage().startsWith("a.atr: truncated"), e.getMessage());
    byte[] aux = new WfdbFixtures.Atr().ann(1, 10).aux("abcdef").bytes();
    e =
        assertThrows(
            IOException.class,
            () -> Annotations.parse(Arrays.copyOf(aux, aux.length - 4), "b.atr"));
    assertTrue(e.getMessage().contains("b.atr: truncated AUX"), e.getMessage());
  }

  @Test
  void symbolTableMatchesWfdb() {
    String[] expected = {"N", "L", "R", "a", "V", "F", "J", "A", "S", "E", "j", "/", "Q"};
    for (int c = 1; c <= 13; c++) {
      assertEquals(expected[c - 1], Annotations.symbol(c));
      assertEquals(c, Annotations.code(expected[c - 1]));
    }
    assertEquals("e", Annotations.symbol(34));
    assertEquals("f", Annotations.symbol(38));
    assertEquals("|", Annotations.symbol(16));
    assertEquals("[45]", Annotations.symbol(45));
  }
}
