package dev.splitlearn.core.party;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Checkpoints as files in one folder: each written to a temporary file, then renamed atomically.
 */
public final class DirectoryCheckpointStore implements CheckpointStore {
  private final Path dir;

  /** A store in {@code dir} (created on the first write). */
  public DirectoryCheckpointStore(Path dir) {
    this.dir = dir;
  }

  @Override
  public void write(String name, Content content) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(name);
    Path tmp = dir.resolve(name + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      content.writeTo(out);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public Optional<InputStream> read(String name) throws IOException {
    Path file = dir.resolve(name);
    return Files.isRegularFile(file) ? Optional.of(Files.newInputStream(file)) : Optional.empty();
  }

  @Override
  public String describe() {
    return dir.toString();
  }
}
