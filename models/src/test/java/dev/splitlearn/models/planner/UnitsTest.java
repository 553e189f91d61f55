package dev.splitlearn.models.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Rates and delays as tc writes them. */
class UnitsTest {
  @Test
  void parsesRates() {
    assertEquals(10e6, Units.bitsPerSecond("--bandwidth", "10mbit"));
    assertEquals(1e9, Units.bitsPerSecond("--bandwidth", "1gbit"));
    assertEquals(2.5e5, Units.bitsPerSecond("--bandwidth", "250kbit"));
    assertEquals(1.5e6, Units.bitsPerSecond("--bandwidth", " 1.5 Mbit "));
    assertEquals(800, Units.bitsPerSecond("--bandwidth", "800bit"));
  }

  @Test
  void parsesDelays() {
    assertEquals(0.020, Units.seconds("--latency", "20ms"), 1e-15);
    assertEquals(1.0, Units.seconds("--latency", "1s"));
    assertEquals(500e-6, Units.seconds("--latency", "500us"), 1e-18);
    assertEquals(0.0, Units.seconds("--latency", "0ms"));
  }

  @Test
  void refusesNamingTheFlag() {
    for (String bad : new String[] {"10", "10mbps", "fast", "-1mbit", "0mbit", "", "10 mb it"}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> Units.bitsPerSecond("--bandwidth", bad), bad);
      assertTrue(e.getMessage().startsWith("--bandwidth must be"), e.getMessage());
      assertTrue(!e.getMessage().contains("\n"));
    }
    for (String bad : new String[] {"20", "20 min", "-5ms", "soon"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Units.seconds("--latency", bad));
      assertTrue(e.getMessage().startsWith("--latency must be"), e.getMessage());
    }
  }

  @Test
  void printsRates() {
    assertEquals("10 Mbit/s", Units.rate(10e6));
    assertEquals("1 Gbit/s", Units.rate(1e9));
    assertEquals("2.5 kbit/s", Units.rate(2500));
  }
}
