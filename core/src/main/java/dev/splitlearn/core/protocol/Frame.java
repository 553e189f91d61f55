package dev.splitlearn.core.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One encoded message as a link carries it. Its bytes are the message's encoding, except that the
 * values of its cut tensor, when the sender holds them in direct memory (a view of the engine's),
 * may not be copied in yet: their place in the frame is reserved, a network link streams them from
 * where they are ({@link #segments}), and they are copied in only when something needs the bytes
 * whole ({@link #bytes}: the tap). A receiver in the same process decodes the tensor where it
 * already is ({@link MessageCodec#decode(Frame)}), which saves a copy of the largest tensor of a
 * step each way (1.7 MB for mnist-cnn). Such values are the sender's memory: they must stay valid
 * as long as the frame must (see {@link WireEndpoint.Connection#handle}), and the receiver only
 * reads them. Not thread-safe: one link carries a frame at a time.
 */
public final class Frame {
  private final ByteBuffer bytes; // the whole frame from position 0, little-endian
  private final int deferredAt; // where the deferred values belong in the frame
  private FloatTensor deferred; // values not copied in yet, or null

  private Frame(ByteBuffer bytes, FloatTensor deferred, int deferredAt) {
    this.bytes = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
    this.deferred = deferred;
    this.deferredAt = deferredAt;
  }

  /** A frame of {@code bytes}' remaining bytes, complete. */
  public static Frame of(ByteBuffer bytes) {
    return new Frame(bytes, null, 0);
  }

  /**
   * A frame whose bytes lack {@code values}' float32 values at byte {@code at} (the space is
   * there).
   */
  static Frame deferring(ByteBuffer bytes, FloatTensor values, int at) {
    if (at < 0 || at + (long) Float.BYTES * values.size() > bytes.remaining()) {
      throw new IllegalArgumentException(
          "deferred values at " + at + " do not fit a frame of " + bytes.remaining() + " bytes");
    }
    return new Frame(bytes, values, at);
  }

  /** The frame's size in bytes, deferred values included. */
  public int size() {
    return bytes.remaining();
  }

  /**
   * The frame's bytes, every value in place (deferred values are copied in on the first call); a
   * new view each call, little-endian, position 0.
   */
  public ByteBuffer bytes() {
    if (deferred != null) {
      bytes
          .duplicate()
          .position(deferredAt)
          .order(ByteOrder.LITTLE_ENDIAN)
          .asFloatBuffer()
          .put(deferred.floats());
      deferred = null;
    }
    return bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * The frame's bytes in order, as views and without copying deferred values in: the bytes before
   * them, the values where the sender holds them, the bytes after (one buffer when nothing is
   * deferred), for a link that copies them out anyway. New views each call, valid as the frame is.
   */
  public ByteBuffer[] segments() {
    if (deferred == null) {
      return new ByteBuffer[] {bytes.duplicate()};
    }
    int end = deferredAt + Float.BYTES * deferred.size();
    return new ByteBuffer[] {
      bytes.duplicate().limit(deferredAt), deferred.directBytes(), bytes.duplicate().position(end)
    };
  }

  /**
   * The frame's bytes as they are: without the deferred values, if any (the decoder's view; the
   * headers are always in place).
   */
  ByteBuffer unfilled() {
    return bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The values not copied in yet, or null. */
  FloatTensor deferred() {
    return deferred;
  }

  /** Where the deferred values belong. */
  int deferredAt() {
    return deferredAt;
  }
}
