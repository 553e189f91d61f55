package dev.splitlearn.core.kernels;

import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's intra-op thread count on the {@link EngineThread} (OpenMP keeps it per thread, and all
 * engine work runs there).
 */
public final class EngineThreads {
  private EngineThreads() {}

  /** The current intra-op thread count. */
  public static int get() {
    return EngineThread.call(JniUtils::getNumThreads);
  }

  /** Sets the intra-op thread count of the engine's work. */
  public static void set(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("engine threads must be >= 1, got " + threads);
    }
    EngineThread.run(() -> JniUtils.setNumThreads(threads));
  }
}
