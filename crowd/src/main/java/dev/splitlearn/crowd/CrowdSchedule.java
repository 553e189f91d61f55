package dev.splitlearn.crowd;

import dev.splitlearn.core.train.Batches;
import dev.splitlearn.core.train.Predictor;
import dev.splitlearn.data.Dataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * One way of training the crowd, round by round, on a {@link VirtualClock}: a round starts at the
 * clock's present with its participants and ends, by calling back, when every participant has
 * uploaded its update or left. Real engine work happens inside the clock's events. Not thread-safe.
 */
abstract class CrowdSchedule implements AutoCloseable {
  protected final VirtualClock clock;
  protected final CrowdConfig config;
  protected final Ledger ledger = new Ledger();

  /** The weights a device downloads, trains and uploads (the whole model or the client part). */
  protected final Weights layout;

  /** Their global value: what a round starts from, the mean of the last round's updates. */
  protected float[][] global;

  CrowdSchedule(VirtualClock clock, CrowdConfig config, Weights layout, float[][] global) {
    this.clock = clock;
    this.config = config;
    this.layout = layout;
    this.global = global;
  }

  /** The schedule's name in results. */
  abstract String name();

  /**
   * Starts {@code round} now: every participant downloads the global weights, then does its round
   * ({@link #deviceRound}); when the last one has uploaded or left, the mean of the updates becomes
   * the global weights ({@link #roundEnded}) and {@code done} runs (inside an event).
   */
  final void startRound(int round, List<Participant> participants, Runnable done) {
    Weights.Sum sum = new Weights.Sum();
    int[] open = {participants.size()};
    Runnable finished =
        () -> {
          if (--open[0] == 0) {
            float[][] mean = sum.mean();
            for (int i = 0; i < sum.updates(); i++) {
              ledger.applied();
            }
            if (mean != null) {
              global = mean;
            }
            roundEnded();
            done.run();
          }
        };
    for (Participant p : participants) {
      clock.after(
          p.device().downloadSeconds(layout.bytes()),
          downloadEvent(),
          p.id(),
          round,
          () -> {
            ledger.down(layout.bytes());
            deviceRound(p, round, sum, finished);
          });
    }
  }

  /** The name of the download event in the clock's log. */
  abstract String downloadEvent();

  /** A participant's round after its download: local work, then its update into {@code sum}. */
  abstract void deviceRound(Participant p, int round, Weights.Sum sum, Runnable finished);

  /** After the global weights took the round's mean (nothing by default). */
  void roundEnded() {}

  /** Test accuracy of the global model. */
  abstract double evaluate(Dataset test);

  /** Accuracy of {@code predictor} on {@code test}, in batches of 256. */
  static double accuracy(Predictor predictor, Dataset test) {
    try {
      return predictor.evaluate(test, 256).accuracy();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The global model's trained weights that devices update (for tests). */
  final float[][] globalWeights() {
    return global;
  }

  /** Bytes and dropouts so far. */
  Ledger ledger() {
    return ledger;
  }

  /** Local steps of a device with {@code samples} samples in one round. */
  int localSteps(int samples) {
    return config.localEpochs() * batchesPerEpoch(samples);
  }

  /** Work units of a device's round: its local steps, then its upload (where it may leave). */
  int units(int samples) {
    return localSteps(samples) + 1;
  }

  int batchesPerEpoch(int samples) {
    return (samples + config.batch() - 1) / config.batch();
  }

  /** Samples in local step {@code step} of a device with {@code samples} samples. */
  int batchSize(int samples, int step) {
    int j = step % batchesPerEpoch(samples);
    return j < batchesPerEpoch(samples) - 1 ? config.batch() : samples - config.batch() * j;
  }

  /**
   * A participant's batches, in a fresh seeded order per local epoch (the same in both schedules).
   * {@link #load} fills the batch of a local step.
   */
  final class LocalData {
    final Batches batches;
    private final int round;
    private final int device;

    LocalData(Participant p, int round) {
      this.batches = new Batches(p.data(), config.batch());
      this.round = round;
      this.device = p.id();
    }

    /** Loads the batch of local step {@code step}; returns its size. */
    int load(int step) {
      int perEpoch = batches.count();
      if (step % perEpoch == 0) {
        batches.shuffle(config.seed(), round * config.localEpochs() + step / perEpoch, device);
      }
      return batches.load(step % perEpoch);
    }
  }

  @Override
  public abstract void close();
}
