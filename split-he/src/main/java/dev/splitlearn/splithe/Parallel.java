package dev.splitlearn.splithe;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntFunction;

/**
 * Runs the independent parts of a CKKS batch operation on the machine's cores: part 0 in the
 * calling thread, the others on the common fork-join pool. Each part must use its own encoder,
 * encryptor or evaluator (they are not thread-safe).
 */
final class Parallel {
  /** How many parts to split work into: one per core, at most 4. */
  static final int PARTS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

  private Parallel() {}

  /** Results of {@code part.apply(i)} for i in [0, parts), in order. */
  static <T> List<T> map(int parts, IntFunction<T> part) {
    List<CompletableFuture<T>> others = new ArrayList<>();
    for (int i = 1; i < parts; i++) {
      int index = i;
      others.add(CompletableFuture.supplyAsync(() -> part.apply(index)));
    }
    List<T> out = new ArrayList<>(parts);
    out.add(part.apply(0));
    for (CompletableFuture<T> f : others) {
      try {
        out.add(f.join());
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw e;
      }
    }
    return out;
  }

  /** Splits [0, n) into {@code parts} contiguous ranges; range i is [bounds[i], bounds[i + 1]). */
  static int[] bounds(int n, int parts) {
    int[] b = new int[parts + 1];
    for (int i = 0; i <= parts; i++) {
      b[i] = (int) ((long) n * i / parts);
    }
    return b;
  }
}
