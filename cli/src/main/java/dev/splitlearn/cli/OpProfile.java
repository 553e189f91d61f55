package dev.splitlearn.cli;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitlearn.core.kernels.EngineThread;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bench --profile}: libtorch's profiler over one turn of each side of an extra pair, so that
 * both are profiled minutes apart at most, on the same machine state. Each side's trace is kept
 * (Chrome trace format, {@code profile-SIDE.json}) and summed per operation: the time of top-level
 * operations (those not inside another one) per step, and how often each ran.
 */
final class OpProfile implements Turnstile.TurnHook {
  /**
   * One side's profiled turn: steps, per operation milliseconds and calls per step, and the
   * milliseconds per step from the first operation's start to the last one's end.
   */
  record Side(long steps, Map<String, double[]> perStep, double spanMs) {
    /** Milliseconds per step inside top-level operations. */
    double totalMs() {
      return perStep.values().stream().mapToDouble(v -> v[0]).sum();
    }

    /** Milliseconds per step between operations: Java, JNI, waits for other threads. */
    double betweenMs() {
      return spanMs - totalMs();
    }
  }

  private final Path dir;
  private final String[] names;
  private final long[] steps = new long[2];
  private final Side[] sides = new Side[2];

  OpProfile(Path dir, String baseName, String variantName) {
    this.dir = dir;
    this.names = new String[] {baseName, variantName};
  }

  @Override
  public void begin(int side) {
    EngineThread.run(() -> JniUtils.startProfile(false, false, false));
  }

  @Override
  public void end(int side, long steps) {
    EngineThread.run(() -> JniUtils.stopProfile(trace(side).toString()));
    this.steps[side] = steps;
  }

  /**
   * Side {@code side}'s profile, or null if its epoch ended before the profiled turn. Read only
   * when asked, after the pair: parsing a trace between the turns (JIT and garbage collection of
   * the parser running on) stalled the other side's first profiled step, 8-30 ms an operation.
   */
  Side side(int side) {
    if (sides[side] == null && steps[side] > 0) {
      try {
        sides[side] = read(trace(side), steps[side]);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the profile " + trace(side), e);
      }
    }
    return sides[side];
  }

  private Path trace(int side) {
    return dir.resolve("profile-" + names[side] + ".json");
  }

  /**
   * A Chrome trace of {@code steps} steps: milliseconds and calls per step of each top-level
   * operation, largest first, and the span per step.
   */
  static Side read(Path trace, long steps) throws IOException {
    JsonNode root = new ObjectMapper().readTree(Files.readAllBytes(trace));
    JsonNode events = root.isArray() ? root : root.path("traceEvents");
    List<JsonNode> complete = new ArrayList<>();
    events.forEach(
        e -> {
          if ("X".equals(e.path("ph").asText())) {
            complete.add(e);
          }
        });
    // by start time, the enclosing (longer) event first: an event is top-level if it starts after
    // the last top-level one ended
    complete.sort(
        Comparator.comparingDouble((JsonNode e) -> e.path("ts").asDouble())
            .thenComparingDouble(e -> -e.path("dur").asDouble()));
    Map<String, double[]> sums = new LinkedHashMap<>();
    double start = complete.isEmpty() ? 0 : complete.get(0).path("ts").asDouble();
    double end = Double.NEGATIVE_INFINITY;
    for (JsonNode e : complete) {
      double ts = e.path("ts").asDouble();
      double dur = e.path("dur").asDouble();
      if (ts >= end) {
        double[] s = sums.computeIfAbsent(e.path("name").asText(), k -> new double[2]);
        s[0] += dur / 1e3 / steps;
        s[1] += 1.0 / steps;
        end = ts + dur;
      }
    }
    Map<String, double[]> sorted = new LinkedHashMap<>();
    sums.entrySet().stream()
        .sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]))
        .forEach(x -> sorted.put(x.getKey(), x.getValue()));
    double span = complete.isEmpty() ? 0 : (end - start) / 1e3 / steps;
    return new Side(steps, sorted, span);
  }
}
