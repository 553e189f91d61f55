package dev.splitlearn.core.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reusable direct memory for the frames one side of a link sends: two buffers taken in turn, so a
 * frame stays valid until the second frame after it is taken. The receiver of an in-process frame
 * can therefore make engine arrays over its cut tensors instead of copying them (a server's step
 * spans two requests in U-shaped mode: the activations' frame must outlive the gradient's), and the
 * sender allocates and zeroes no memory per frame. Only frames up to a bound reuse the memory: a
 * larger one (weights, a big model's cut) gets memory of its own, freed with it, so that an owner
 * keeps at most about 2.5 times the bound between frames, whatever the largest frame it ever
 * handled. Not thread-safe: one sender owns one.
 */
public final class FrameBuffers {
  static final int ALIGNMENT = 64;

  /** Default bound on reused frames: 8 MiB (mnist-cnn's cut tensors are 1.7 MB). */
  public static final int REUSED_MAX = 8 << 20;

  private final ByteBuffer[] buffers = new ByteBuffer[2];
  private final int reusedMax;
  private int turn;

  /** Frames of up to {@link #REUSED_MAX} bytes reuse two buffers. */
  public FrameBuffers() {
    this(REUSED_MAX);
  }

  /** Frames of up to {@code reusedMax} bytes reuse two buffers. */
  public FrameBuffers(int reusedMax) {
    this.reusedMax = reusedMax;
  }

  /**
   * The next frame's memory: {@code size} bytes, little-endian, position 0, placed so that byte
   * {@code alignedAt} of it (where a tensor's values start) sits on a 64-byte boundary, as the
   * engine's kernels expect of an array's memory. Its previous contents (the frame before last) are
   * overwritten by the caller; a frame above the bound is new memory, valid while referenced.
   */
  public ByteBuffer take(int size, int alignedAt) {
    if (size > reusedMax) { // valid as long as it is referenced
      return place(ByteBuffer.allocateDirect(size + ALIGNMENT), size, alignedAt);
    }
    turn ^= 1;
    ByteBuffer b = buffers[turn];
    if (b == null || b.capacity() < size + ALIGNMENT) {
      // a quarter more than asked, so that frames growing a little do not reallocate each time;
      // a replaced buffer stays alive while an engine array over it does (DJL keeps a reference)
      long capacity = size + (long) size / 4 + ALIGNMENT;
      b = ByteBuffer.allocateDirect((int) Math.min(Integer.MAX_VALUE - 8, capacity));
      buffers[turn] = b;
    }
    return place(b, size, alignedAt);
  }

  private static ByteBuffer place(ByteBuffer b, int size, int alignedAt) {
    int start = Math.floorMod(-b.alignmentOffset(alignedAt, ALIGNMENT), ALIGNMENT);
    return b.clear().position(start).limit(start + size).slice().order(ByteOrder.LITTLE_ENDIAN);
  }
}
