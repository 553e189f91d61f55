package dev.splitlearn.data.wfdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The annotations of a record, read from a WFDB annotation file in MIT format (e.g. {@code
 * 100.atr}).
 *
 * <p>The file is a sequence of 16-bit little-endian words: the high 6 bits are a code {@code A},
 * the low 10 bits a value {@code I}. A word with {@code A} below 59 is an annotation {@code I}
 * samples after the previous one. Codes 59-63 are pseudo-annotations: {@link #SKIP} ({@code I = 0},
 * followed by a 32-bit interval, high 16-bit word first, added to the running time), and {@link
 * #NUM}, {@link #SUB}, {@link #CHN}, {@link #AUX} which modify the annotation that precedes them
 * ({@code AUX}: {@code I} is a byte count, the bytes follow, padded to an even count). {@code num}
 * and {@code chan} carry over to later annotations, {@code subtype} and {@code aux} do not. A zero
 * word ends the file.
 *
 * <p>Immutable.
 */
public final class Annotations {

  /** Pseudo-annotation: a 32-bit time interval follows. */
  public static final int SKIP = 59;

  /** Pseudo-annotation: sets {@code num}. */
  public static final int NUM = 60;

  /** Pseudo-annotation: sets {@code subtype}. */
  public static final int SUB = 61;

  /** Pseudo-annotation: sets {@code chan}. */
  public static final int CHN = 62;

  /** Pseudo-annotation: auxiliary bytes follow. */
  public static final int AUX = 63;

  /** Highest ordinary annotation code. */
  public static final int MAX_CODE = 49;

  /** WFDB mnemonics of codes 0-41 (lib/annot.c, ecgcodes.h). */
  private static final String[] SYMBOLS = {
    " ", "N", "L", "R", "a", "V", "F", "J", "A", "S", // 0-9
    "E", "j", "/", "Q", "~", "[15]", "|", "[17]", "s", "T", // 10-19
    "*", "D", "\"", "=", "p", "B", "^", "t", "+", "u", // 20-29
    "?", "!", "[", "]", "e", "n", "@", "x", "f", "(", // 30-39
    ")", "r", // 40-41
  };

  /** Codes WFDB counts as beats (isqrs): N L R a V F J A S E j / Q e n f r B. */
  private static final boolean[] BEAT = new boolean[MAX_CODE + 1];

  static {
    for (int c : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 25, 34, 35, 38, 41}) {
      BEAT[c] = true;
    }
  }

  private final List<Annotation> list;

  private Annotations(List<Annotation> list) {
    this.list = List.copyOf(list);
  }

  /**
   * @param list the annotations
   * @return an immutable holder of them
   */
  public static Annotations of(List<Annotation> list) {
    return new Annotations(list);
  }

  /**
   * @return all annotations in file order (unmodifiable)
   */
  public List<Annotation> list() {
    return list;
  }

  /**
   * @return the number of annotations (pseudo-annotations not counted)
   */
  public int size() {
    return list.size();
  }

  /**
   * @param i index in {@code [0, size())}
   * @return the {@code i}-th annotation
   */
  public Annotation get(int i) {
    return list.get(i);
  }

  /**
   * @return how many annotations carry each symbol, sorted by symbol
   */
  public Map<String, Integer> symbolCounts() {
    Map<String, Integer> counts = new TreeMap<>();
    for (Annotation a : list) {
      counts.merge(a.symbol(), 1, Integer::sum);
    }
    return counts;
  }

  /**
   * @param code an annotation code
   * @return its WFDB mnemonic ({@code "N"}, {@code "V"}, {@code "/"}, ...), or {@code "[code]"} if
   *     it has none
   */
  public static String symbol(int code) {
    return code >= 0 && code < SYMBOLS.length ? SYMBOLS[code] : "[" + code + "]";
  }

  /**
   * @param symbol a WFDB mnemonic
   * @return its code, or -1 if unknown
   */
  public static int code(String symbol) {
    for (int c = 1; c < SYMBOLS.length; c++) {
      if (SYMBOLS[c].equals(symbol)) {
        return c;
      }
    }
    return -1;
  }

  /**
   * @param code an annotation code
   * @return whether WFDB counts it as a beat (N L R a V F J A S E j / Q e n f r B)
   */
  public static boolean isBeat(int code) {
    return code >= 0 && code <= MAX_CODE && BEAT[code];
  }

  /**
   * Reads an MIT-format annotation file.
   *
   * @param file the file, e.g. {@code 100.atr}
   * @return its annotations
   * @throws IOException if the file cannot be read, has an odd length, a pseudo-annotation runs
   *     past the end, or the end-of-file word is missing
   */
  public static Annotations read(Path file) throws IOException {
    return parse(Files.readAllBytes(file), file.toString());
  }

  /**
   * Parses MIT-format annotation bytes.
   *
   * @param b the file contents
   * @param source the file name used in error messages
   * @return the annotations
   * @throws IOException if the bytes are malformed
   */
  public static Annotations parse(byte[] b, String source) throws IOException {
    if (b.length % 2 != 0) {
      throw new IOException(
          source + ": odd length " + b.length + "; MIT annotation files hold 16-bit words");
    }
    List<Annotation> out = new ArrayList<>();
    long time = 0;
    int chan = 0;
    int num = 0;
    // fields of the annotation being assembled (last, until the next ordinary word)
    long aTime = 0;
    int aCode = -1;
    int aSub = 0;
    String aAux = null;
    int p = 0;
    while (true) {
      if (p + 2 > b.length) {
        throw new IOException(
            source + ": truncated: no end-of-file word after " + out.size() + " annotations");
      }
      int w = (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
      int at = p;
      p += 2;
      int a = w >>> 10;
      int i = w & 0x3FF;
      if (w == 0 || a < SKIP) {
        if (aCode >= 0) {
          out.add(new Annotation(aTime, aCode, aSub, chan, num, aAux));
          aCode = -1;
        }
        if (w == 0) {
          break;
        }
        time += i;
        aTime = time;
        aCode = a;
        aSub = 0;
        aAux = null;
        continue;
      }
      switch (a) {
        case SKIP -> {
          if (p + 4 > b.length) {
            throw new IOException(source + ": truncated SKIP at byte " + at);
          }
          int hi = (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
          int lo = (b[p + 2] & 0xFF) | (b[p + 3] & 0xFF) << 8;
          time += hi << 16 | lo;
          p += 4;
        }
        case NUM -> num = (byte) i;
        case SUB -> aSub = (byte) i;
        case CHN -> chan = i & 0xFF;
        case AUX -> {
          int len = i & 0xFF;
          if (p + len > b.length) {
            throw new IOException(source + ": truncated AUX of " + len + " bytes at byte " + at);
          }
          aAux = new String(b, p, len, StandardCharsets.ISO_8859_1);
          p += len + (len & 1);
        }
        default ->
            throw new IOException(source + ": unknown annotation code " + a + " at byte " + at);
      }
    }
    return new Annotations(out);
  }
}
