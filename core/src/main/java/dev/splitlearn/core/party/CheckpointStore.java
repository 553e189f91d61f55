package dev.splitlearn.core.party;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Where a party keeps its checkpoints, by name. Writes are atomic: a reader sees the old content or
 * the new, never part of a write, so a crash loses at most the checkpoint being written. One
 * implementation writes files ({@link DirectoryCheckpointStore}); a shared store can replace it.
 */
public interface CheckpointStore {
  /** Writes what {@code content} produces under {@code name}, atomically. */
  void write(String name, Content content) throws IOException;

  /** Opens {@code name} for reading, or empty if there is none. */
  Optional<InputStream> read(String name) throws IOException;

  /** Where the store lives, for messages. */
  String describe();

  /** Produces a checkpoint's bytes. */
  interface Content {
    void writeTo(OutputStream out) throws IOException;
  }
}
