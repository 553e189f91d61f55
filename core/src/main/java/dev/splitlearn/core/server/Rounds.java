package dev.splitlearn.core.server;

import dev.splitlearn.core.protocol.ErrorCode;
import dev.splitlearn.core.protocol.Message.Weights;
import dev.splitlearn.core.protocol.ProtocolException;
import dev.splitlearn.core.protocol.Schedule;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The schedule as server-side round logic. Clients run their own loops; the server makes them meet:
 *
 * <ul>
 *   <li>the run starts when every client has said hello ({@link #join});
 *   <li>parallel: client-side weights are averaged per round, a fetch waits for every upload of its
 *       round; with {@code ordered}, step k of client i is admitted only after step k of every
 *       lower client and step k-1 of every higher one ({@link #admit}), the order of the in-process
 *       loop, so numbers do not depend on timing;
 *   <li>parallel without averages ({@code syncEvery} 0, clients of different tasks on one cloud
 *       model): ordered admission spreads each client's steps over the epoch in proportion to its
 *       batches, so the shared cloud model sees every task all through the epoch, also when data
 *       sets differ in size;
 *   <li>sequential: a client's turn starts when the previous client uploaded its weights;
 *   <li>every epoch ends at a barrier, after training and evaluation ({@link #barrier}).
 * </ul>
 *
 * A client that drops out is no longer waited for (admission, uploads, barriers) and may rejoin,
 * redoing the epoch in progress. Every wait is bounded by the configured timeout. Never called
 * while holding the engine lock.
 */
final class Rounds {
  private final ServerConfig config;
  private final WeightStore weights;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final int[] batches;
  private final long[] done;
  private final boolean[] joined;
  private final boolean[] left;
  private final int[] from; // the first epoch each client takes part in (later after a rejoin)
  private final Map<Integer, Set<Integer>> arrivals = new HashMap<>();
  private final Map<Integer, Boolean> barrierActionDone = new HashMap<>();
  private int completedEpoch; // the last epoch whose barrier released everyone
  private int joinedCount;
  private static final ThreadLocal<long[]> WAITED = ThreadLocal.withInitial(() -> new long[1]);
  private int firstEpoch = 1;

  Rounds(ServerConfig config, WeightStore weights) {
    this.config = config;
    this.weights = weights;
    this.batches = new int[config.clients()];
    this.done = new long[config.clients()];
    this.joined = new boolean[config.clients()];
    this.left = new boolean[config.clients()];
    this.from = new int[config.clients()];
  }

  /** Sets the epoch the run starts at (after a restore). */
  void startAt(int epoch) {
    lock.lock();
    try {
      firstEpoch = epoch;
      completedEpoch = epoch - 1;
    } finally {
      lock.unlock();
    }
  }

  int firstEpoch() {
    lock.lock();
    try {
      return firstEpoch;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Registers a client's batches per epoch and waits until every client has joined. A client that
   * dropped out comes back here too: it rejoins at once and redoes the epoch in progress from its
   * start ({@link #firstEpochOf}); with ordered admission the others wait at their next step until
   * it has caught up with them, and the epoch's barrier waits for it.
   *
   * @return the largest batches per epoch among the clients
   */
  int join(int clientId, int clientBatches) {
    lock.lock();
    try {
      if (joined[clientId] && !left[clientId]) {
        throw new ProtocolException(
            ErrorCode.FAILED_PRECONDITION,
            "Hello from client " + clientId + ": this client is in the run already");
      }
      boolean rejoin = joined[clientId];
      if (rejoin && clientBatches != batches[clientId]) {
        throw new ProtocolException(
            ErrorCode.ABORTED,
            "Hello from client "
                + clientId
                + ": "
                + clientBatches
                + " batches per epoch, it had "
                + batches[clientId]
                + " before it dropped out");
      }
      left[clientId] = false;
      batches[clientId] = clientBatches;
      from[clientId] =
          rejoin ? completedEpoch + 1 : firstEpoch; // a rejoin redoes the epoch in progress
      done[clientId] = (long) (from[clientId] - 1) * clientBatches;
      if (!rejoin) {
        joined[clientId] = true;
        joinedCount++;
        changed.signalAll();
        await(
            () -> joinedCount == config.clients(),
            "the other clients to join (" + config.clients() + " expected)",
            -1);
      }
      int max = 0;
      for (int b : batches) {
        max = Math.max(max, b);
      }
      return max;
    } finally {
      lock.unlock();
    }
  }

  /** The first epoch {@code clientId} trains in: the run's first, or after a rejoin a later one. */
  int firstEpochOf(int clientId) {
    lock.lock();
    try {
      return from[clientId];
    } finally {
      lock.unlock();
    }
  }

  /** Whether {@code clientId} passed the barrier of the run's last epoch. */
  boolean finished(int clientId) {
    lock.lock();
    try {
      return joined[clientId] && completedEpoch >= config.epochs();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether client {@code j} takes part in {@code epoch}: joined, not dropped out, and in from then
   * on.
   */
  private boolean active(int j, long epoch) {
    return joined[j] && !left[j] && from[j] <= epoch;
  }

  /** Batches per epoch of all clients together. */
  int totalBatches() {
    lock.lock();
    try {
      int sum = 0;
      for (int b : batches) {
        sum += b;
      }
      return sum;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Parallel and ordered: waits until the training step {@code step} (global count) of the client
   * may run.
   */
  void admit(int clientId, long step) {
    if (config.schedule() != Schedule.PARALLEL || !config.ordered() || config.clients() == 1) {
      return;
    }
    lock.lock();
    try {
      int b = batches[clientId];
      long epoch = step / b;
      long k = step % b;
      await(
          () -> {
            for (int j = 0; j < batches.length; j++) {
              if (j == clientId || !active(j, epoch + 1)) {
                continue; // a client that dropped out holds no one up
              }
              long need =
                  epoch * batches[j]
                      + (config.privateClientParts()
                          ? before(j, clientId, k, b)
                          : Math.min(j < clientId ? k + 1 : k, batches[j]));
              if (done[j] < need) {
                return false;
              }
            }
            return true;
          },
          "the clients before it to finish their step " + k + " of epoch " + (epoch + 1),
          clientId);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Proportional order: step k of client i sits at (k + 1) / b_i of the epoch (ties go to the lower
   * id); returns how many steps of client j come before it. A total order, so someone can always go
   * on.
   */
  private long before(int j, int i, long k, int b) {
    long scaled =
        (k + 1)
            * batches[
                j]; // step k' of j comes first while (k' + 1) b < (k + 1) b_j, or == and j < i
    return Math.min(batches[j], j < i ? scaled / b : (scaled - 1) / b);
  }

  /** Marks a training step of the client complete. */
  void stepDone(int clientId) {
    lock.lock();
    try {
      done[clientId]++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Stores an upload; in the parallel schedule every client uploads every round. */
  void upload(Weights w) {
    lock.lock();
    try {
      weights.add(w);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The weights to start {@code round} with: waits for every client's upload (parallel) or the
   * previous client's (sequential), then returns their average.
   */
  Weights fetch(int clientId, long round) {
    lock.lock();
    try {
      if (config.schedule() == Schedule.SEQUENTIAL) {
        return fetchTurn(clientId, round);
      }
      // a round the others have left behind (a rejoined client catching up) is closed: take what is
      // there
      await(
          () ->
              weights.count(round) >= expectedUploads(clientId)
                  || weights.newest() > round && weights.count(round) > 0,
          "the uploads of round " + round,
          clientId);
      return weights.average(round, clientId);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sequential: the weights to start after turn {@code round} with. Turn r is client r mod n's; a
   * client that dropped out uploads nothing, so its turns are skipped: the answer is the newest
   * upload of turn {@code round} or before whose later turns all belong to clients that left,
   * waited for while the owner of one of those turns is still in the run. When every turn up to
   * {@code round} was skipped, an empty {@code Weights}: the client keeps its own (every client
   * starts from the same seeded weights).
   */
  private Weights fetchTurn(int clientId, long round) {
    long[] from = {-1};
    await(
        () -> {
          for (long r = round; r >= 0; r--) {
            if (weights.count(r) > 0) {
              from[0] = r;
              return true;
            }
            if (!left[(int) (r % batches.length)]) {
              return false; // its owner is in the run and has not uploaded yet
            }
          }
          from[0] = -1;
          return true;
        },
        "the upload of turn " + round,
        clientId);
    if (from[0] < 0) {
      return new Weights(clientId, round, 0, List.of());
    }
    Weights w = weights.average(from[0], clientId);
    return new Weights(clientId, round, w.samples(), w.tensors());
  }

  /**
   * Uploads a fetch waits for: every client taking part now (parallel), the previous one
   * (sequential).
   */
  private int expectedUploads(int clientId) {
    if (config.schedule() != Schedule.PARALLEL) {
      return 1;
    }
    int n = 0;
    for (int j = 0; j < joined.length; j++) {
      n += j == clientId || active(j, completedEpoch + 1) ? 1 : 0;
    }
    return n;
  }

  /**
   * Waits until every client taking part in {@code epoch} has reached its end (a client that drops
   * out meanwhile is no longer waited for); one of them runs {@code onAll} (the server's
   * checkpoint) before anyone is released.
   */
  void barrier(int clientId, int epoch, Runnable onAll) {
    lock.lock();
    try {
      Set<Integer> arrived = arrivals.computeIfAbsent(epoch, e -> new HashSet<>());
      arrived.add(clientId);
      changed.signalAll();
      await(
          () -> barrierActionDone.getOrDefault(epoch, false) || allArrived(epoch),
          "every client to finish epoch " + epoch,
          clientId);
      if (!barrierActionDone.getOrDefault(
          epoch, false)) { // the first to see everyone there, under the lock
        try {
          onAll.run();
        } finally {
          barrierActionDone.put(epoch, true);
          completedEpoch = Math.max(completedEpoch, epoch);
          changed.signalAll();
        }
      }
      arrivals.remove(epoch - 2);
      barrierActionDone.remove(epoch - 2);
    } finally {
      lock.unlock();
    }
  }

  private boolean allArrived(int epoch) {
    Set<Integer> arrived = arrivals.getOrDefault(epoch, Set.of());
    for (int j = 0; j < joined.length; j++) {
      if (active(j, epoch) && !arrived.contains(j)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The client's session ended: no one waits for it any more (it may rejoin later). Its steps of
   * the epoch in progress are lost to the others; the run goes on without them.
   */
  void leave(int clientId) {
    lock.lock();
    try {
      left[clientId] = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Nanoseconds the calling thread has spent waiting here, ever (to tell work from waiting). */
  static long waitedNanos() {
    return WAITED.get()[0];
  }

  /** Waits under the lock until {@code ready}, failing on timeout. */
  private void await(BooleanSupplier ready, String what, int waiter) {
    long start = System.nanoTime();
    try {
      awaitUntil(ready, what, waiter, start + config.waitTimeout().toNanos());
    } finally {
      WAITED.get()[0] += System.nanoTime() - start;
    }
  }

  private void awaitUntil(BooleanSupplier ready, String what, int waiter, long deadline) {
    while (!ready.getAsBoolean()) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        throw new ProtocolException(
            ErrorCode.DEADLINE_EXCEEDED, "waited " + format(config.waitTimeout()) + " for " + what);
      }
      try {
        changed.await(Math.min(remaining, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ProtocolException(ErrorCode.UNAVAILABLE, "interrupted while waiting for " + what);
      }
    }
  }

  private static String format(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
