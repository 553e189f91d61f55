package dev.splitlearn.attacks;

import dev.splitlearn.core.train.Augmentation;
import dev.splitlearn.core.train.Batches;
import dev.splitlearn.data.Dataset;
import java.util.Arrays;
import java.util.List;

/**
 * Which samples each training step of each client used, rebuilt from the run's settings exactly as
 * the client runtime draws them: client {@code c}'s step {@code s} is batch {@code s mod B} of
 * epoch {@code s / B + 1} ({@code B} its batches per epoch) of its own partition, in the order
 * {@link Batches#shuffle}{@code (seed, epoch, c)} gives, augmented as the run was. The attacks
 * never use this to attack: it is the ground truth their guesses are scored against. Not
 * thread-safe.
 */
public final class StepSamples {
  /**
   * One step's samples.
   *
   * @param features the inputs as the client fed them to its extractor, row-major
   * @param labels their labels
   */
  public record Batch(float[] features, int[] labels) {
    /** Samples in the batch. */
    public int size() {
      return labels.length;
    }
  }

  private final List<Dataset> clientData;
  private final long seed;
  private final Batches[] batches;
  private final int[] shuffledFor;

  /**
   * @param clientData each client's training partition, as the run made it (same seed, partitioner,
   *     limit)
   * @param batchSize the run's {@code --batch}
   * @param seed the run's {@code --seed}
   * @param augmentation the run's {@code --augment}
   */
  public StepSamples(
      List<Dataset> clientData, int batchSize, long seed, Augmentation augmentation) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("--batch must be >= 1, got " + batchSize);
    }
    this.clientData = List.copyOf(clientData);
    this.seed = seed;
    this.batches = new Batches[clientData.size()];
    this.shuffledFor = new int[clientData.size()];
    for (int c = 0; c < batches.length; c++) {
      batches[c] = new Batches(clientData.get(c), batchSize, augmentation);
    }
  }

  /** Number of clients. */
  public int clients() {
    return batches.length;
  }

  /** Client {@code client}'s training partition. */
  public Dataset data(int client) {
    return clientData.get(client);
  }

  /**
   * The samples of client {@code client}'s training step {@code step}.
   *
   * @throws IllegalArgumentException if there is no such client or the step is negative: the tap is
   *     not of a run with these settings
   */
  public Batch of(int client, long step) {
    if (client < 0 || client >= batches.length || step < 0) {
      throw new IllegalArgumentException(
          "a tap frame of client "
              + client
              + ", step "
              + step
              + " does not fit a run of "
              + batches.length
              + " client(s): give the run's own options (--clients, --batch, --limit, --seed, --config)");
    }
    Batches b = batches[client];
    int epoch = (int) (step / b.count()) + 1;
    if (shuffledFor[client] != epoch) {
      b.shuffle(seed, epoch, client);
      shuffledFor[client] = epoch;
    }
    int n = b.load((int) (step % b.count()));
    return new Batch(
        Arrays.copyOf(b.features(n), n * clientData.get(client).sampleLength()),
        Arrays.copyOf(b.labels(n), n));
  }
}
