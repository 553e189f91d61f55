package dev.splitlearn.data;

/**
 * Receives progress reports from long-running data operations such as downloads and extraction.
 *
 * <p>Implementations must be cheap and must not throw; they may be called from the loading thread
 * many times per second.
 */
@FunctionalInterface
public interface ProgressListener {

  /** A listener that ignores every report. */
  ProgressListener NONE = (what, done, total) -> {};

  /**
   * Reports progress.
   *
   * @param what a short human-readable description, e.g. {@code "download
   *     mnist/train-images-idx3-ubyte.gz"}
   * @param done units (usually bytes) done so far
   * @param total total units, or {@code -1} when unknown
   */
  void progress(String what, long done, long total);
}
