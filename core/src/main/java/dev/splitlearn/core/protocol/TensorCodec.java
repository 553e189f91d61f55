package dev.splitlearn.core.protocol;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * One tensor on the wire: {@code rank:u8, dims:i64[rank], encoding:u8, payload}. Encodings:
 *
 * <ul>
 *   <li>0, 1, 2: dense float32, float16, or int8 after one float32 scale ({@link Compression});
 *   <li>3, sparse: {@code nnz:i32}, the positions of the non-zero values as {@code nnz} LEB128
 *       varints of the gap to the previous position (the first counted from -1, so a gap of 0 means
 *       "the next entry"; positions are strictly increasing by construction), then {@code
 *       values:u8} (0, 1 or 2) and the {@code nnz} values in that dense encoding;
 *   <li>4, packed: {@code bits:u8} (1..8), {@code min:f32, max:f32}, then ceil(n bits / 8) bytes
 *       holding each value's level number ({@link BitPacking}), least significant bit first, the
 *       unused high bits of the last byte zero.
 * </ul>
 *
 * The decoder checks every length against the bytes left, refuses positions past the tensor, a
 * non-minimal varint, bits out of range, a minimum above the maximum, padding bits that are set,
 * and sparse or packed tensors of more values than the frame bound allows as float32 (a few bytes
 * must not unfold into gigabytes).
 */
final class TensorCodec {
  static final int SPARSE = 3;
  static final int PACKED = 4;

  private TensorCodec() {}

  /**
   * How a tensor is written.
   *
   * @param encoding the wire byte: a {@link Compression}'s, {@link #SPARSE} or {@link #PACKED}
   * @param values the dense encoding of the values (of the non-zero ones when sparse)
   * @param bits bits per value when packed
   * @param bytes the tensor's encoded size, header included
   */
  record Choice(int encoding, Compression values, int bits, long bytes) {}

  /**
   * Dense float32, for tensors that are always sent exactly (weights); its size is {@link
   * #denseSize}.
   */
  static final Choice FLOAT32 = new Choice(Compression.FLOAT32.wire(), Compression.FLOAT32, 0, -1);

  /**
   * The encoding of {@code t}: float32 if a value is not finite (the receiver sees what was sent);
   * packed with {@code layout}'s bits; sparse when that is smaller than dense; else dense {@code
   * compression}.
   */
  static Choice choose(FloatTensor t, Compression compression, ActivationEncoding layout) {
    long head = headerSize(t);
    if (compression == Compression.FLOAT32 && layout.dense() || t.firstNonFinite() >= 0) {
      return new Choice(Compression.FLOAT32.wire(), Compression.FLOAT32, 0, head + 4L * t.size());
    }
    Choice dense =
        new Choice(compression.wire(), compression, 0, head + valuesSize(t.size(), compression));
    switch (layout.kind()) {
      case PACKED -> {
        return new Choice(
            PACKED,
            compression,
            layout.bits(),
            head + 1 + 4 + 4 + BitPacking.packedBytes(t.size(), layout.bits()));
      }
      case SPARSE -> {
        float[] v = t.data();
        long nnz = 0;
        long positions = 0;
        int previous = -1;
        for (int i = 0; i < v.length; i++) {
          if (v[i] != 0) {
            nnz++;
            positions += varintSize(i - previous - 1);
            previous = i;
          }
        }
        long sparse = head + 4 + positions + 1 + valuesSize(nnz, compression);
        return sparse < dense.bytes() ? new Choice(SPARSE, compression, 0, sparse) : dense;
      }
      default -> {
        return dense;
      }
    }
  }

  /** A dense tensor's size with {@code enc} (weights, and cut tensors other than activations). */
  static long denseSize(FloatTensor t, Compression enc) {
    return headerSize(t) + valuesSize(t.size(), enc);
  }

  /** The bytes before a tensor's values: rank, dimensions, encoding. */
  static int headerSize(FloatTensor t) {
    return 1 + 8 * t.shape().length + 1;
  }

  private static long valuesSize(long n, Compression enc) {
    return switch (enc) {
      case FLOAT32 -> 4 * n;
      case FLOAT16 -> 2 * n;
      case INT8 -> 4 + n;
    };
  }

  private static int varintSize(int v) {
    return v < 1 << 7 ? 1 : v < 1 << 14 ? 2 : v < 1 << 21 ? 3 : v < 1 << 28 ? 4 : 5;
  }

  /**
   * Writes {@code t} as {@code c} says; with {@code defer}, dense float32 values in direct memory
   * are left out (their space skipped) and {@code t} is returned, else null.
   */
  static FloatTensor put(ByteBuffer buf, FloatTensor t, Choice c, boolean defer) {
    buf.put((byte) t.shape().length);
    for (long d : t.shape()) {
      buf.putLong(d);
    }
    buf.put((byte) c.encoding());
    if (c.encoding() == PACKED) {
      putPacked(buf, t.data(), c.bits());
    } else if (c.encoding() == SPARSE) {
      putSparse(buf, t.data(), c.values());
    } else if (c.values() == Compression.FLOAT32) {
      if (defer && t.inDirectMemory()) {
        buf.position(buf.position() + 4 * t.size());
        return t;
      }
      buf.asFloatBuffer()
          .put(t.floats()); // one bulk copy, whether the tensor holds an array or bytes
      buf.position(buf.position() + 4 * t.size());
    } else {
      putValues(buf, t.data(), t.size(), c.values());
    }
    return null;
  }

  private static void putValues(ByteBuffer buf, float[] data, int n, Compression enc) {
    switch (enc) {
      case FLOAT32 -> {
        buf.asFloatBuffer().put(data, 0, n);
        buf.position(buf.position() + 4 * n);
      }
      case FLOAT16 -> {
        for (int i = 0; i < n; i++) {
          buf.putShort(Half.fromFloat(data[i]));
        }
      }
      case INT8 -> {
        float max = 0;
        for (int i = 0; i < n; i++) {
          max = Math.max(max, Math.abs(data[i]));
        }
        float scale = max / 127f;
        buf.putFloat(scale);
        float inverse = scale == 0 ? 0 : 1 / scale;
        for (int i = 0; i < n; i++) {
          buf.put((byte) Math.max(-127, Math.min(127, Math.round(data[i] * inverse))));
        }
      }
      default -> throw new IllegalStateException("encoding " + enc);
    }
  }

  private static void putSparse(ByteBuffer buf, float[] v, Compression values) {
    int start = buf.position();
    buf.putInt(0); // nnz, filled in below
    float[] kept = new float[v.length];
    int nnz = 0;
    int previous = -1;
    for (int i = 0; i < v.length; i++) {
      if (v[i] != 0) {
        int gap = i - previous - 1;
        while (gap >= 0x80) {
          buf.put((byte) (gap | 0x80));
          gap >>>= 7;
        }
        buf.put((byte) gap);
        kept[nnz++] = v[i];
        previous = i;
      }
    }
    buf.putInt(start, nnz);
    buf.put((byte) values.wire());
    putValues(buf, kept, nnz, values);
  }

  private static void putPacked(ByteBuffer buf, float[] v, int bits) {
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (float x : v) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    if (v.length == 0) {
      lo = 0;
      hi = 0;
    }
    buf.put((byte) bits).putFloat(lo).putFloat(hi);
    int levels = 1 << bits;
    long acc = 0;
    int held = 0;
    for (float x : v) {
      acc |= (long) BitPacking.code(x, lo, hi, levels) << held;
      held += bits;
      while (held >= 8) {
        buf.put((byte) acc);
        acc >>>= 8;
        held -= 8;
      }
    }
    if (held > 0) {
      buf.put((byte) acc);
    }
  }

  /**
   * Reads one tensor.
   *
   * @param maxValues the most values a sparse or packed tensor may unfold into
   * @param view whether dense float32 values may stay in {@code buf} (a view, valid as long as the
   *     frame is) rather than be copied out
   * @param deferring the frame {@code buf} is read from when it defers values (then the tensor at
   *     their place views them), else null
   * @throws MalformedMessageException naming {@code field} and what is wrong
   * @throws BufferUnderflowException if the bytes end early (the caller reports the truncation)
   */
  static FloatTensor get(
      ByteBuffer buf, String field, long maxValues, boolean view, Frame deferring)
      throws MalformedMessageException {
    int rank = Byte.toUnsignedInt(buf.get());
    if (rank == 0 || rank > FloatTensor.MAX_RANK) {
      throw new MalformedMessageException(field + ": tensor rank " + rank + " is out of range");
    }
    long[] shape = new long[rank];
    long n = 1;
    for (int i = 0; i < rank; i++) {
      shape[i] = buf.getLong();
      if (shape[i] < 0 || (shape[i] > 0 && n > Long.MAX_VALUE / shape[i])) {
        throw new MalformedMessageException(field + ": invalid dimension " + shape[i]);
      }
      n *= shape[i];
    }
    int encoding = buf.get();
    if (encoding == SPARSE || encoding == PACKED) {
      if (n > maxValues) {
        throw new MalformedMessageException(
            field
                + ": "
                + (encoding == SPARSE ? "sparse" : "packed")
                + " tensor of "
                + n
                + " values exceeds the bound of "
                + maxValues
                + " values");
      }
      float[] data =
          encoding == SPARSE ? getSparse(buf, (int) n, field) : getPacked(buf, (int) n, field);
      return new FloatTensor(shape, data);
    }
    Compression enc = ofWire(encoding, field + ".encoding");
    long bytes = valuesSize(n, enc);
    if (n > Integer.MAX_VALUE - 8 || bytes > buf.remaining()) {
      throw new MalformedMessageException(
          field
              + ": tensor of "
              + n
              + " values ("
              + enc.cliName()
              + ") needs "
              + bytes
              + " bytes, "
              + buf.remaining()
              + " left");
    }
    if (deferring != null && buf.position() == deferring.deferredAt()) {
      FloatTensor values = deferring.deferred();
      if (enc != Compression.FLOAT32 || bytes != (long) Float.BYTES * values.size()) {
        throw new IllegalStateException(
            field + ": the frame's deferred values do not match the tensor's header");
      }
      buf.position(buf.position() + (int) bytes);
      return FloatTensor.ofFrame(shape, values.directBytes()); // the sender's memory
    }
    if (enc == Compression.FLOAT32 && view) { // a view of the frame's bytes, not a copy
      FloatTensor t = FloatTensor.ofFrame(shape, buf.slice().limit((int) bytes));
      buf.position(buf.position() + (int) bytes);
      return t;
    }
    return new FloatTensor(shape, getValues(buf, (int) n, enc, field));
  }

  private static Compression ofWire(int encoding, String field) throws MalformedMessageException {
    try {
      return Compression.ofWire(encoding);
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException(field + ": " + e.getMessage());
    }
  }

  private static float[] getValues(ByteBuffer buf, int n, Compression enc, String field)
      throws MalformedMessageException {
    float[] data = new float[n];
    switch (enc) {
      case FLOAT32 -> {
        buf.asFloatBuffer().get(data); // underflow is thrown before any copy
        buf.position(buf.position() + 4 * n);
      }
      case FLOAT16 -> {
        for (int i = 0; i < n; i++) {
          data[i] = Half.toFloat(buf.getShort());
        }
      }
      case INT8 -> {
        float scale = buf.getFloat();
        if (!Float.isFinite(scale) || scale < 0) {
          throw new MalformedMessageException(field + ": int8 scale " + scale + " is invalid");
        }
        for (int i = 0; i < n; i++) {
          data[i] = buf.get() * scale;
        }
      }
      default -> throw new IllegalStateException("encoding " + enc);
    }
    return data;
  }

  private static float[] getSparse(ByteBuffer buf, int n, String field)
      throws MalformedMessageException {
    int nnz = buf.getInt();
    if (nnz < 0 || nnz > n || nnz > buf.remaining()) {
      throw new MalformedMessageException(
          field
              + ": sparse count "
              + nnz
              + " does not fit a tensor of "
              + n
              + " values and the "
              + buf.remaining()
              + " bytes left");
    }
    int[] positions = new int[nnz];
    long previous = -1;
    for (int j = 0; j < nnz; j++) {
      long gap = 0;
      for (int shift = 0; ; shift += 7) {
        int b = buf.get();
        if (shift > 28 || (shift > 0 && b == 0)) {
          throw new MalformedMessageException(
              field + ": sparse position " + j + " is not a minimal varint");
        }
        gap |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          break;
        }
      }
      long at = previous + 1 + gap;
      if (at >= n) {
        throw new MalformedMessageException(
            field
                + ": sparse position "
                + at
                + " is out of range for a tensor of "
                + n
                + " values");
      }
      positions[j] = (int) at;
      previous = at;
    }
    Compression enc = ofWire(buf.get(), field + ".values");
    if (valuesSize(nnz, enc) > buf.remaining()) {
      throw new MalformedMessageException(
          field
              + ": "
              + nnz
              + " sparse values ("
              + enc.cliName()
              + ") need "
              + valuesSize(nnz, enc)
              + " bytes, "
              + buf.remaining()
              + " left");
    }
    float[] values = getValues(buf, nnz, enc, field);
    float[] data = new float[n];
    for (int j = 0; j < nnz; j++) {
      data[positions[j]] = values[j];
    }
    return data;
  }

  private static float[] getPacked(ByteBuffer buf, int n, String field)
      throws MalformedMessageException {
    int bits = buf.get();
    if (bits < 1 || bits > BitPacking.MAX_BITS) {
      throw new MalformedMessageException(
          field + ": packed bits " + bits + " out of range 1.." + BitPacking.MAX_BITS);
    }
    float lo = buf.getFloat();
    float hi = buf.getFloat();
    if (!Float.isFinite(lo) || !Float.isFinite(hi) || lo > hi) {
      throw new MalformedMessageException(
          field + ": packed range [" + lo + ", " + hi + "] is invalid");
    }
    long bytes = BitPacking.packedBytes(n, bits);
    if (bytes > buf.remaining()) {
      throw new MalformedMessageException(
          field
              + ": "
              + n
              + " packed values of "
              + bits
              + " bits need "
              + bytes
              + " bytes, "
              + buf.remaining()
              + " left");
    }
    int levels = 1 << bits;
    float[] table = new float[levels];
    for (int k = 0; k < levels; k++) {
      table[k] = BitPacking.level(lo, hi, levels, k);
    }
    float[] data = new float[n];
    long acc = 0;
    int held = 0;
    int mask = levels - 1;
    for (int i = 0; i < n; i++) {
      if (held < bits) {
        acc |= (long) Byte.toUnsignedInt(buf.get()) << held;
        held += 8;
      }
      data[i] = table[(int) (acc & mask)];
      acc >>>= bits;
      held -= bits;
    }
    if (acc != 0) {
      throw new MalformedMessageException(field + ": packed padding bits are set");
    }
    return data;
  }
}
