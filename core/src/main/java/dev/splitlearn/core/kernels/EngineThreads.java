package dev.splitlearn.core.kernels;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/** libtorch's intra-op thread count of the calling thread (OpenMP keeps it per thread). */
public final class EngineThreads {
  private EngineThreads() {}

  /** The current intra-op thread count. */
  public static int get() {
    Engine.getInstance();
    return JniUtils.getNumThreads();
  }

  /** Sets the intra-op thread count for operations started from the calling thread. */
  public static void set(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("engine threads must be >= 1, got " + threads);
    }
    Engine.getInstance();
    JniUtils.setNumThreads(threads);
  }
}
