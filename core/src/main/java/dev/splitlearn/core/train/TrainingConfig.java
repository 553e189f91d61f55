package dev.splitlearn.core.train;

import dev.splitlearn.core.defense.ClientDefenses;
import dev.splitlearn.core.defense.Defenses;
import dev.splitlearn.core.defense.GradientDp;
import dev.splitlearn.core.encrypted.Encryption;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.party.PretrainedExtractor;
import dev.splitlearn.core.protocol.Schedule;
import java.nio.file.Path;
import java.util.List;

/**
 * What a training run does, beyond the model and the data.
 *
 * @param schedule sequential or parallel
 * @param epochs passes over every client's data, &gt;= 1
 * @param batchSize samples per step, &gt;= 1
 * @param optimizer each party's optimizer
 * @param seed fixes data order, initial weights and partitions
 * @param syncEvery parallel schedule: steps per round between weight averages, &gt;= 1
 * @param checkpointDir where per-party checkpoints go after every epoch, or null for none
 * @param resume continue from the checkpoints in {@code checkpointDir}
 * @param noPeek weight of NoPeek's dCor^2(X, A) in every client's extractor loss, 0 for none
 * @param augmentation what each client does to its training images, {@link Augmentation#NONE} for
 *     nothing
 * @param encryption how activations are encrypted at the cut (e.g. CKKS), or null for plaintext
 * @param defenses what every client does to the activations it sends, {@link Defenses#NONE} for
 *     nothing
 * @param perClient clients with their own NoPeek and defenses instead of {@code noPeek} and {@code
 *     defenses} (empty: every client takes those)
 * @param gradientDp clipping and noise of the gradient that carries the labels (vanilla: the
 *     server's returned activation gradient; u-shaped: each client's cloud-output gradient), or
 *     null
 * @param extractor the pre-trained weights of every client's frozen extractor (PrivyNet; the plan
 *     must carry a local topology), or null for extractors that train
 */
public record TrainingConfig(
    Schedule schedule,
    int epochs,
    int batchSize,
    OptimizerSpec optimizer,
    long seed,
    int syncEvery,
    Path checkpointDir,
    boolean resume,
    Augmentation augmentation,
    Encryption encryption,
    float noPeek,
    Defenses defenses,
    List<ClientDefenses> perClient,
    GradientDp gradientDp,
    PretrainedExtractor extractor) {

  /** A run without NoPeek, defenses or a frozen extractor; gradients returned as computed. */
  public TrainingConfig(
      Schedule schedule,
      int epochs,
      int batchSize,
      OptimizerSpec optimizer,
      long seed,
      int syncEvery,
      Path checkpointDir,
      boolean resume,
      Augmentation augmentation,
      Encryption encryption) {
    this(
        schedule,
        epochs,
        batchSize,
        optimizer,
        seed,
        syncEvery,
        checkpointDir,
        resume,
        augmentation,
        encryption,
        0f,
        Defenses.NONE,
        List.of(),
        null,
        null);
  }

  public TrainingConfig {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    if (syncEvery < 1) {
      throw new IllegalArgumentException("sync-every must be >= 1, got " + syncEvery);
    }
    if (augmentation == null) {
      throw new IllegalArgumentException("augmentation must not be null (use Augmentation.NONE)");
    }
    if (defenses == null) {
      throw new IllegalArgumentException("defenses must not be null (use Defenses.NONE)");
    }
    if (extractor != null && noPeek > 0) {
      throw new IllegalArgumentException(
          "--nopeek trains the extractor against leakage; a frozen --extractor "
              + "pretrained does not train");
    }
    if (resume && checkpointDir == null) {
      throw new IllegalArgumentException("resume needs a checkpoint directory");
    }
    perClient = List.copyOf(perClient);
    if (perClient.stream().map(ClientDefenses::client).distinct().count() != perClient.size()) {
      throw new IllegalArgumentException("client-defenses names a client twice");
    }
  }

  /** What client {@code client} does: its own entry of {@link #perClient}, else the run's. */
  public ClientDefenses defensesOf(int client) {
    for (ClientDefenses c : perClient) {
      if (c.client() == client) {
        return c;
      }
    }
    return new ClientDefenses(client, noPeek, defenses);
  }
}
