package dev.splitlearn.core.kernels;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * All engine work of this JVM runs on one thread, in the order submitted. Three facts make this the
 * right shape: DJL allows one open gradient collector per JVM (a static flag, not per thread);
 * libtorch's gradient mode is per thread (on in a new thread, while DJL turns it off on the thread
 * that starts the engine, and a thread left with it on records a graph for every operation); and
 * OpenMP gives every thread that starts parallel work its own team of worker threads, and once the
 * process holds more OpenMP threads than cores, libgomp stops spinning and every parallel region
 * pays a sleep and a wake-up (measured: {@code ecg-cnn} steps 25-30% slower with the client on a
 * second thread). Parties call {@link #call} or {@link #run} for each compute phase (a forward
 * pass, a backward pass and its optimizer step); waits for the network, barriers and turns happen
 * outside, on the caller's thread. Calls from the engine thread itself run inline.
 */
public final class EngineThread {
  private static final ExecutorService EXECUTOR =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "engine");
            t.setDaemon(true);
            return t;
          });
  private static volatile Thread thread;
  private static final AtomicLong busyNanos = new AtomicLong();
  private static final AtomicLong tasks = new AtomicLong();

  private EngineThread() {}

  /** Runs {@code work} on the engine thread and waits for it. */
  public static void run(Runnable work) {
    call(
        () -> {
          work.run();
          return null;
        });
  }

  /**
   * Computes {@code work} on the engine thread and returns its result; an unchecked exception or
   * error it throws is rethrown here.
   */
  public static <T> T call(Supplier<T> work) {
    if (Thread.currentThread() == thread) {
      return work.get();
    }
    Future<T> result =
        EXECUTOR.submit(
            () -> {
              if (thread == null) {
                thread = Thread.currentThread();
                Engine.getInstance();
                JniUtils.setGradMode(false); // graphs only inside gradient collectors
              }
              long start = System.nanoTime();
              try {
                return work.get();
              } finally { // before the caller wakes, so its next reading includes this task
                busyNanos.addAndGet(System.nanoTime() - start);
                tasks.incrementAndGet();
              }
            });
    try {
      return result.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("engine work failed", cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the engine", e);
    }
  }

  /**
   * Nanoseconds the engine thread has spent running submitted work, ever (work run inline on it is
   * part of the task that ran it). With {@link #tasks}, tells a step's engine time from the time
   * spent outside it: hand-overs between threads, encoding, transport (bench).
   */
  public static long busyNanos() {
    return busyNanos.get();
  }

  /** Tasks the engine thread has run, ever (one per {@link #call} from another thread). */
  public static long tasks() {
    return tasks.get();
  }

  /** Whether the calling thread is the engine thread. */
  public static boolean isEngineThread() {
    return Thread.currentThread() == thread;
  }
}
