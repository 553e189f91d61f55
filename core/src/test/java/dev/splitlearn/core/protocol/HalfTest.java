package dev.splitlearn.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** binary16 conversions: exact on every half value, and nearest-even rounding of floats. */
class HalfTest {
  @Test
  void everyHalfRoundTrips() {
    for (int h = 0; h < 65536; h++) {
      float f = Half.toFloat((short) h);
      if (Float.isNaN(f)) {
        assertTrue(Float.isNaN(Half.toFloat(Half.fromFloat(f))), "NaN stays NaN");
      } else {
        assertEquals((short) h, Half.fromFloat(f), "half 0x" + Integer.toHexString(h));
      }
    }
  }

  @Test
  void floatsGoToTheNearestHalf() {
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < 200_000; i++) {
      float f = (float) ((r.nextDouble() * 2 - 1) * Math.pow(2, r.nextInt(-26, 16)));
      float h = Half.toFloat(Half.fromFloat(f));
      // no half lies closer to f than the one chosen (checked against both neighbours)
      short s = Half.fromFloat(f);
      float up = Half.toFloat((short) (s + 1));
      float down = Half.toFloat((short) (s - 1));
      double err = Math.abs((double) h - f);
      if (Float.isFinite(up)) {
        assertTrue(err <= Math.abs((double) up - f), f + " -> " + h + ", but " + up + " is closer");
      }
      if (Float.isFinite(down) && Math.signum(down) == Math.signum(h)) {
        assertTrue(
            err <= Math.abs((double) down - f), f + " -> " + h + ", but " + down + " is closer");
      }
    }
    assertEquals(
        Float.POSITIVE_INFINITY, Half.toFloat(Half.fromFloat(70000f)), "overflow to infinity");
    assertEquals(0x1p-24f, Half.toFloat(Half.fromFloat(0x1p-24f)), "smallest subnormal kept");
  }
}
