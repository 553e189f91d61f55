package dev.splitlearn.core.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reusable direct memory for the frames one side of a link sends: two buffers taken in turn, so a
 * frame stays valid until the second frame after it is taken. The receiver of an in-process frame
 * can therefore make engine arrays over its cut tensors instead of copying them (a server's step
 * spans two requests in U-shaped mode: the activations' frame must outlive the gradient's), and the
 * sender allocates and zeroes no memory per frame. Not thread-safe: one sender owns one.
 */
public final class FrameBuffers {
  static final int ALIGNMENT = 64;

  private final ByteBuffer[] buffers = new ByteBuffer[2];
  private int turn;

  /**
   * The next frame's memory: {@code size} bytes, little-endian, position 0, placed so that byte
   * {@code alignedAt} of it (where a tensor's values start) sits on a 64-byte boundary, as the
   * engine's kernels expect of an array's memory. Its previous contents (the frame before last) are
   * overwritten by the caller.
   */
  public ByteBuffer take(int size, int alignedAt) {
    turn ^= 1;
    ByteBuffer b = buffers[turn];
    if (b == null || b.capacity() < size + ALIGNMENT) {
      // a quarter more than asked, so that frames growing a little do not reallocate each time;
      // a replaced buffer stays alive while an engine array over it does (DJL keeps a reference)
      long capacity = size + (long) size / 4 + ALIGNMENT;
      b = ByteBuffer.allocateDirect((int) Math.min(Integer.MAX_VALUE - 8, capacity));
      buffers[turn] = b;
    }
    int start = Math.floorMod(-b.alignmentOffset(alignedAt, ALIGNMENT), ALIGNMENT);
    return b.clear().position(start).limit(start + size).slice().order(ByteOrder.LITTLE_ENDIAN);
  }
}
