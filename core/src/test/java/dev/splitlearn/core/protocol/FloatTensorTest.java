package dev.splitlearn.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The finiteness check that a copy into the engine makes on the way: the same verdict as the check
 * alone, and the same bits as a plain copy.
 */
class FloatTensorTest {
  private static final float[] NON_FINITE = {
    Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0xffc00001)
  };

  @Property(tries = 200)
  void copyToChecksAsFirstNonFiniteAndCopiesEveryBit(
      @ForAll @IntRange(min = 1, max = 9000) int size,
      @ForAll @IntRange(min = -1, max = 8999) int bad,
      @ForAll @IntRange(min = 0, max = 3) int kind,
      @ForAll long seed,
      @ForAll boolean fromWire,
      @ForAll boolean bigEndianDest) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] values = new float[size];
    for (int i = 0; i < size; i++) { // finite values across the whole exponent range
      values[i] = Float.intBitsToFloat(r.nextInt() & 0xff7fffff);
    }
    int expected = bad >= 0 && bad < size ? bad : -1;
    if (expected >= 0) {
      values[expected] = NON_FINITE[kind];
      if (expected + 1 < size) {
        values[expected + 1] = Float.NaN; // only the first one is reported
      }
    }
    FloatTensor t = tensor(values, fromWire);
    ByteOrder order = bigEndianDest ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    ByteBuffer dest = ByteBuffer.allocateDirect(4 * size).order(order);

    assertEquals(expected, t.firstNonFinite());
    assertEquals(expected, t.copyTo(dest));
    for (int i = 0; i < size; i++) {
      assertEquals(
          Float.floatToRawIntBits(values[i]),
          Float.floatToRawIntBits(dest.getFloat(4 * i)),
          "value " + i + " of " + size);
    }
  }

  private static FloatTensor tensor(float[] values, boolean fromWire) {
    long[] shape = {values.length};
    if (!fromWire) {
      return new FloatTensor(shape, values.clone());
    }
    ByteBuffer wire = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    wire.asFloatBuffer().put(values);
    return FloatTensor.ofLittleEndian(shape, wire);
  }
}
