package dev.splitlearn.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The (k, c) points {@code splitlearn characterize} measures, from {@code --grid
 * k=1,2;c=4,8,16,32}: every k (client blocks) with every c (channels kept), k outer. Each key once,
 * values positive integers without repeats.
 *
 * @param layers the k values, in the order given
 * @param channels the c values, in the order given
 */
record TopologyGrid(List<Integer> layers, List<Integer> channels) {
  /** One point of the grid. */
  record Point(int layers, int channels) {
    String name() {
      return "k" + layers + "-c" + channels;
    }
  }

  /**
   * Parses {@code k=LIST;c=LIST}.
   *
   * @throws IllegalArgumentException naming {@code --grid}, what is wrong and the expected form
   */
  static TopologyGrid parse(String text) {
    String form = " (expected k=LIST;c=LIST, e.g. k=1,2;c=4,8,16,32)";
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("--grid is empty" + form);
    }
    List<Integer> k = null;
    List<Integer> c = null;
    for (String part : text.split(";", -1)) {
      String[] kv = part.split("=", -1);
      if (kv.length != 2) {
        throw new IllegalArgumentException("--grid: '" + part.trim() + "' is not KEY=LIST" + form);
      }
      String key = kv[0].trim();
      List<Integer> values = values(key, kv[1], form);
      switch (key) {
        case "k" -> {
          if (k != null) {
            throw new IllegalArgumentException("--grid gives k twice" + form);
          }
          k = values;
        }
        case "c" -> {
          if (c != null) {
            throw new IllegalArgumentException("--grid gives c twice" + form);
          }
          c = values;
        }
        default -> throw new IllegalArgumentException("--grid: unknown key '" + key + "'" + form);
      }
    }
    if (k == null || c == null) {
      throw new IllegalArgumentException("--grid needs both k and c, got '" + text + "'" + form);
    }
    return new TopologyGrid(k, c);
  }

  private static List<Integer> values(String key, String list, String form) {
    Set<Integer> out = new LinkedHashSet<>();
    for (String v : list.split(",", -1)) {
      int n;
      try {
        n = Integer.parseInt(v.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--grid: " + key + " value '" + v.trim() + "' is not a whole number" + form);
      }
      if (n < 1) {
        throw new IllegalArgumentException("--grid: " + key + " values must be >= 1, got " + n);
      }
      if (!out.add(n)) {
        throw new IllegalArgumentException("--grid: " + key + "=" + n + " is given twice");
      }
    }
    return List.copyOf(out);
  }

  /** Every (k, c), k outer. */
  List<Point> points() {
    List<Point> out = new ArrayList<>();
    for (int k : layers) {
      for (int c : channels) {
        out.add(new Point(k, c));
      }
    }
    return out;
  }
}
