package dev.splitlearn.cli;

import dev.splitlearn.core.train.EpochStats;
import dev.splitlearn.core.train.TrainingListener;
import java.io.PrintWriter;

/** Draws one progress bar per epoch on the error stream, and one summary line per epoch. */
final class ProgressBar implements TrainingListener {
  private static final int WIDTH = 30;
  private final PrintWriter err;
  private final boolean enabled;
  private final int epochs;
  private long lastDraw;
  private long epochStart = System.nanoTime();

  ProgressBar(PrintWriter err, boolean enabled, int epochs) {
    this.err = err;
    this.enabled = enabled;
    this.epochs = epochs;
  }

  @Override
  public void onStep(String phase, int epoch, long done, long total, float loss) {
    if (done == 1) {
      epochStart = System.nanoTime();
    }
    long now = System.nanoTime();
    if (!enabled || (now - lastDraw < 250_000_000L && done < total)) {
      return;
    }
    lastDraw = now;
    int filled = (int) (WIDTH * done / Math.max(1, total));
    double secs = (now - epochStart) / 1e9;
    err.printf(
        "\r%-9s epoch %d/%d [%s%s] %3d%% %d/%d loss %.4f %.0fs ",
        phase,
        epoch,
        epochs,
        "#".repeat(filled),
        ".".repeat(WIDTH - filled),
        100 * done / Math.max(1, total),
        done,
        total,
        loss,
        secs);
    err.flush();
  }

  @Override
  public void onEpoch(EpochStats s) {
    if (enabled) {
      err.print("\r" + " ".repeat(100) + "\r");
    }
    err.printf(
        "%-9s epoch %d/%d  loss %.4f  test accuracy %.4f  %.1f s  rss %d MB%s%n",
        s.phase(),
        s.epoch(),
        epochs,
        s.trainLoss(),
        s.testAccuracy(),
        s.seconds(),
        s.rssMegabytes(),
        s.trainBytesUp() + s.trainBytesDown() == 0
            ? ""
            : String.format(
                "  traffic %.1f MB up, %.1f MB down",
                s.trainBytesUp() / 1e6, s.trainBytesDown() / 1e6));
    err.flush();
  }
}
