package dev.splitlearn.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who used the machine's cores over an interval, as shares of all cores' time, from Linux's {@code
 * /proc/stat} and {@code /proc/self/stat}: other programs (busy time not this process's) and the
 * hypervisor ({@code steal}: time a virtual CPU wanted to run and the host ran something else).
 * {@code bench} records both per pair, because a ratio timed beside other work is not the
 * machine's: libtorch's threads slow down many-fold when the cores are oversubscribed.
 *
 * @param others other programs' share of all cores' time, 0 to 1
 * @param steal the hypervisor's share of all cores' time, 0 to 1
 */
record CpuShare(double others, double steal) {
  /** At this share or above, of either, a pair's times do not describe a quiet machine. */
  static final double NOISY = 0.05;

  /** Cumulative clock ticks (Linux's USER_HZ): of all cores, busy, stolen, and this process's. */
  record Sample(long total, long busy, long steal, long self) {}

  private static volatile Sample commandStart;

  /** Marks where this process's command starts ({@link Main#main}, first thing). */
  static void markCommandStart() {
    commandStart = sample();
  }

  /** The shares since {@link #markCommandStart}, or null if it was not called or not Linux. */
  static CpuShare sinceCommandStart() {
    return between(commandStart, sample());
  }

  /** This machine now, or null where {@code /proc} cannot be read (not Linux). */
  static Sample sample() {
    try {
      return parse(
          Files.readString(Path.of("/proc/stat")), Files.readString(Path.of("/proc/self/stat")));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The counters in {@code procStat}'s first line ({@code cpu user nice system idle iowait irq
   * softirq steal guest guest_nice}; guest time is already in user time) and {@code selfStat}'s
   * user and system time (fields 14 and 15, counted after the command name, which may hold spaces).
   */
  static Sample parse(String procStat, String selfStat) {
    String line = procStat.lines().findFirst().orElseThrow();
    String[] f = line.trim().split("\\s+");
    if (!f[0].equals("cpu") || f.length < 9) {
      throw new IllegalArgumentException("not a /proc/stat cpu line: " + line);
    }
    long[] v = new long[8];
    for (int i = 0; i < v.length; i++) {
      v[i] = Long.parseLong(f[i + 1]);
    }
    long busy = v[0] + v[1] + v[2] + v[5] + v[6];
    long total = busy + v[3] + v[4] + v[7];
    String[] s = selfStat.substring(selfStat.lastIndexOf(')') + 2).trim().split("\\s+");
    long self = Long.parseLong(s[11]) + Long.parseLong(s[12]); // utime, stime
    return new Sample(total, busy, v[7], self);
  }

  /** The shares between two samples, or null if either is missing or no time passed. */
  static CpuShare between(Sample a, Sample b) {
    if (a == null || b == null || b.total() <= a.total()) {
      return null;
    }
    double total = b.total() - a.total();
    // ticks are sampled, so this process's count can run a tick ahead of the machine's
    long others = Math.max(0, (b.busy() - a.busy()) - (b.self() - a.self()));
    return new CpuShare(others / total, (b.steal() - a.steal()) / total);
  }

  boolean noisy() {
    return others >= NOISY || steal >= NOISY;
  }

  /** As recorded in {@code results.json}. */
  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("other_programs_cpu_share", others);
    m.put("steal_cpu_share", steal);
    return m;
  }
}
