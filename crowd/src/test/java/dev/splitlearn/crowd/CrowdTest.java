package dev.splitlearn.crowd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.data.Dataset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CrowdTest {
  private static final Dataset TRAIN =
      Dataset.of("flat", new int[] {1}, new float[4000], new int[4000], List.of("a"));

  private static CrowdConfig config(Object dropout) {
    return CrowdConfig.parse(
        Map.of(
            "devices",
            200,
            "samples-per-device",
            20,
            "devices-per-round",
            20,
            "device",
            Map.of("dropout", dropout)),
        "test");
  }

  @Test
  void dropoutsFollowTheProbabilityAndAreNotClusteredInRounds() {
    Crowd crowd = Crowd.of(config(0.1), TRAIN);
    int rounds = 200;
    int total = 0;
    double squares = 0;
    for (int r = 1; r <= rounds; r++) {
      List<Participant> ps = crowd.select(r, 20, n -> 3);
      Set<Integer> ids = new HashSet<>();
      int k = 0;
      for (Participant p : ps) {
        assertTrue(ids.add(p.id()), "device " + p.id() + " selected twice in round " + r);
        assertTrue(p.dropBefore() >= -1 && p.dropBefore() < 3);
        k += p.dropBefore() >= 0 ? 1 : 0;
      }
      total += k;
      squares += k * k;
    }
    double mean = (double) total / rounds; // binomial(20, 0.1): mean 2, variance 1.8
    double variance = squares / rounds - mean * mean;
    assertEquals(2.0, mean, 0.35);
    assertTrue(variance < 3.0, "dropouts per round vary by " + variance + " (1.8 if independent)");
  }

  @Test
  void devicesAreDrawnFromTheDistributionsAndTheSameForTheSameSeed() {
    CrowdConfig c = config(Map.of("distribution", "uniform", "min", 0.2, "max", 0.4));
    Crowd a = Crowd.of(c, TRAIN);
    Crowd b = Crowd.of(c, TRAIN);
    double sum = 0;
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.device(i), b.device(i));
      assertTrue(a.device(i).dropout() >= 0.2 && a.device(i).dropout() <= 0.4);
      sum += a.device(i).dropout();
    }
    assertEquals(0.3, sum / a.size(), 0.02);
    assertEquals(fates(a.select(3, 20, n -> 3)), fates(b.select(3, 20, n -> 3)));
  }

  private static List<String> fates(List<Participant> ps) {
    return ps.stream().map(p -> p.device() + " drops before " + p.dropBefore()).toList();
  }

  @Test
  void refusesMoreSamplesThanTheDataSetHolds() {
    CrowdConfig c =
        CrowdConfig.parse(
            Map.of("devices", 201, "samples-per-device", 20, "devices-per-round", 2), "test");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Crowd.of(c, TRAIN));
    assertTrue(
        e.getMessage().contains("devices x samples-per-device = 4020 exceeds the 4000"),
        e.getMessage());
  }
}
