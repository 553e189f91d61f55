package dev.splitlearn.core.protocol;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/** Reads a {@link FrameTap} file back, frame by frame, and decodes the frames. */
public final class FrameTapReader {
  /**
   * One recorded frame.
   *
   * @param direction {@link FrameTap#TO_SERVER} or {@link FrameTap#TO_CLIENT}
   * @param session connection number
   * @param nanos time since the tap opened
   * @param frame the bytes as they crossed the wire
   */
  public record Frame(int direction, int session, long nanos, byte[] frame) {
    /** The frame decoded (any message the codec reads). */
    public Message decode() throws MalformedMessageException {
      return new MessageCodec().decode(frame);
    }
  }

  private FrameTapReader() {}

  /**
   * Calls {@code each} with every frame of {@code file}, in order.
   *
   * @throws IOException naming the file if it is not a tap file or is cut short
   */
  public static void read(Path file, Consumer<Frame> each) throws IOException {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      byte[] magic = new byte[FrameTap.MAGIC.length];
      in.readFully(magic);
      if (!Arrays.equals(magic, FrameTap.MAGIC)) {
        throw new IOException(file + ": not a splitlearn tap file (bad magic)");
      }
      int n = 0;
      while (true) {
        int direction = in.read();
        if (direction < 0) {
          return;
        }
        try {
          int session = in.readInt();
          long nanos = in.readLong();
          int length = in.readInt();
          if ((direction != FrameTap.TO_SERVER && direction != FrameTap.TO_CLIENT)
              || length < 0
              || length > MessageCodec.DEFAULT_MAX_BYTES) {
            throw new IOException(
                file
                    + ": record "
                    + n
                    + " is corrupt (direction "
                    + direction
                    + ", length "
                    + length
                    + ")");
          }
          byte[] frame = new byte[length];
          in.readFully(frame);
          each.accept(new Frame(direction, session, nanos, frame));
          n++;
        } catch (EOFException e) {
          throw new IOException(file + ": cut short in record " + n, e);
        }
      }
    }
  }

  /** All frames of {@code file} in one direction. */
  public static List<Frame> frames(Path file, int direction) throws IOException {
    List<Frame> out = new ArrayList<>();
    read(
        file,
        f -> {
          if (f.direction() == direction) {
            out.add(f);
          }
        });
    return out;
  }
}
