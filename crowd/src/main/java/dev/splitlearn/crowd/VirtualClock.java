package dev.splitlearn.crowd;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Simulated time: a priority queue of events, fired in order of time and, for equal times, in the
 * order they were scheduled, so a run is a deterministic function of its inputs. Firing an event
 * advances {@link #now()} to its time and runs its action, which may schedule more events. Not
 * thread-safe: the simulation runs on one thread (its engine work goes through the engine thread).
 */
public final class VirtualClock {
  private final PriorityQueue<Pending> queue = new PriorityQueue<>();
  private final List<Event> trace = new ArrayList<>();
  private double now;
  private long sequence;

  /** What happened when, as recorded in the trace. */
  public record Event(double time, String kind, int device, int round) {
    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "%.9f %s d%d r%d", time, kind, device, round);
    }
  }

  private record Pending(Event event, long sequence, Runnable action)
      implements Comparable<Pending> {
    @Override
    public int compareTo(Pending o) {
      int c = Double.compare(event.time(), o.event.time());
      return c != 0 ? c : Long.compare(sequence, o.sequence);
    }
  }

  /** Simulated seconds since the start. */
  public double now() {
    return now;
  }

  /**
   * Schedules {@code action} {@code delay} simulated seconds from now.
   *
   * @param kind what the event is, for the trace (e.g. {@code upload-done})
   * @param device the device it concerns, or -1 for the server
   * @throws IllegalArgumentException if the delay is negative or not finite
   */
  public void after(double delay, String kind, int device, int round, Runnable action) {
    if (!(delay >= 0) || Double.isInfinite(delay)) {
      throw new IllegalArgumentException(
          "cannot schedule "
              + kind
              + " of device "
              + device
              + ": delay must be a"
              + " finite number >= 0 seconds, got "
              + delay);
    }
    queue.add(new Pending(new Event(now + delay, kind, device, round), sequence++, action));
  }

  /** Fires events in order until none is left. */
  public void run() {
    while (!queue.isEmpty()) {
      Pending p = queue.poll();
      now = p.event.time();
      trace.add(p.event);
      p.action.run();
    }
  }

  /** Events fired so far, in order. */
  public List<Event> trace() {
    return java.util.Collections.unmodifiableList(trace);
  }

  /** SHA-256 over the trace's lines: equal digests mean equal traces. */
  public String traceSha256() {
    try {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      for (Event e : trace) {
        md.update((e + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      return java.util.HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from this JVM", e);
    }
  }
}
