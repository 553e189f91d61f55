package dev.splitlearn.cli;

import dev.splitlearn.core.defense.ActivationDp;
import dev.splitlearn.core.defense.Defenses;
import dev.splitlearn.privacy.ActivationDpAccounting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code privacy} section of results.json: what the DP defense spent, epoch by epoch. */
final class DefenseReport {
  private DefenseReport() {}

  /**
   * The mechanism, its privacy unit and sensitivity, and epsilon at the run's delta after each of
   * {@code epochs} (1-based epoch numbers, each counting every epoch before it); null without DP.
   */
  static Map<String, Object> privacy(Defenses d, List<Integer> epochs) {
    if (!d.dp()) {
      return null;
    }
    ActivationDp m = d.mechanism();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("mechanism", "Gaussian on each sample's clipped activation row (client side)");
    r.put("privacy_unit", "one training sample; its activation row is released once per epoch");
    r.put("neighbouring", "replacement");
    r.put("clip", m.clip());
    r.put("l2_sensitivity", m.sensitivity());
    r.put("noise_std", m.noiseStd());
    r.put("noise_multiplier_over_sensitivity", ActivationDpAccounting.effectiveNoiseMultiplier(m.noiseMultiplier()));
    r.put("sampling", "none (shuffled disjoint batches, sample rate 1: no amplification)");
    r.put("accountant", "RDP, orders 1.1..63, Balle et al. 2020 conversion");
    r.put("not_covered", "the extractor is trained on clean data (later releases depend on a sample through its "
        + "weights); test-time releases; the server's gradients");
    r.put("delta", d.dpDelta());
    List<Map<String, Object>> per = new ArrayList<>();
    for (int e : epochs) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("epoch", e);
      p.put("epsilon", ActivationDpAccounting.epsilon(m.noiseMultiplier(), d.dpDelta(), e));
      per.add(p);
    }
    r.put("per_epoch", per);
    return r;
  }
}
