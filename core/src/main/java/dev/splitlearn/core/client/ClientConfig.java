package dev.splitlearn.core.client;

import dev.splitlearn.core.defense.Defenses;
import dev.splitlearn.core.party.CheckpointStore;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.protocol.Compression;
import dev.splitlearn.core.train.Augmentation;

/**
 * How a client trains on its own data.
 *
 * @param optimizer the client parts' optimizer (its total steps are set from the server's schedule)
 * @param batchSize samples per step, &gt;= 1
 * @param seed fixes this client's data order (with its id) and augmentation
 * @param augmentation what the client does to its training images
 * @param compression how it encodes activations (and the server the gradients it returns)
 * @param evaluate whether it evaluates on its test data after every epoch
 * @param checkpoints where it checkpoints its parts after every epoch, or null
 * @param resume start from its checkpoint
 * @param noPeek weight of NoPeek's dCor^2(X, A) in the extractor's loss, 0 for none
 * @param defenses what the client does to the activations it sends, {@link Defenses#NONE} for
 *     nothing
 */
public record ClientConfig(
    OptimizerSpec optimizer,
    int batchSize,
    long seed,
    Augmentation augmentation,
    Compression compression,
    boolean evaluate,
    CheckpointStore checkpoints,
    boolean resume,
    float noPeek,
    Defenses defenses) {
  /** A client without defenses on its activations. */
  public ClientConfig(
      OptimizerSpec optimizer,
      int batchSize,
      long seed,
      Augmentation augmentation,
      Compression compression,
      boolean evaluate,
      CheckpointStore checkpoints,
      boolean resume,
      float noPeek) {
    this(
        optimizer,
        batchSize,
        seed,
        augmentation,
        compression,
        evaluate,
        checkpoints,
        resume,
        noPeek,
        Defenses.NONE);
  }

  /** A client without NoPeek. */
  public ClientConfig(
      OptimizerSpec optimizer,
      int batchSize,
      long seed,
      Augmentation augmentation,
      Compression compression,
      boolean evaluate,
      CheckpointStore checkpoints,
      boolean resume) {
    this(optimizer, batchSize, seed, augmentation, compression, evaluate, checkpoints, resume, 0f);
  }

  public ClientConfig {
    if (defenses == null) {
      throw new IllegalArgumentException("defenses must not be null (use Defenses.NONE)");
    }
    if (!(noPeek >= 0) || Float.isInfinite(noPeek)) {
      throw new IllegalArgumentException("--nopeek must be a finite weight >= 0, got " + noPeek);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    if (resume && checkpoints == null) {
      throw new IllegalArgumentException("resume needs a checkpoint store");
    }
  }
}
