package dev.splitlearn.cli;

import dev.splitlearn.core.defense.ActivationDp;
import dev.splitlearn.core.defense.ClientDefenses;
import dev.splitlearn.core.defense.Defenses;
import dev.splitlearn.core.defense.GradientDp;
import dev.splitlearn.privacy.ActivationDpAccounting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code privacy} sections of results.json: what the DP defenses spent, epoch by epoch (the
 * clients' on their activations, the server's on the gradient it returns).
 */
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
    r.put(
        "noise_multiplier_over_sensitivity",
        ActivationDpAccounting.effectiveNoiseMultiplier(m.noiseMultiplier()));
    r.put("sampling", "none (shuffled disjoint batches, sample rate 1: no amplification)");
    r.put("accountant", "RDP, orders 1.1..63, Balle et al. 2020 conversion");
    r.put(
        "not_covered",
        "the extractor is trained on clean data (later releases depend on a sample through its "
            + "weights); test-time releases; the server's gradients (see gradient_privacy)");
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

  /**
   * Every client's NoPeek and defenses, and with DP its {@link #privacy} figures, for a run with
   * per-client defenses ({@code config.client_defenses}).
   */
  static List<Map<String, Object>> perClient(TrainOptions o, List<Integer> epochs) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < o.clients; i++) {
      ClientDefenses c = o.defensesOf(i);
      Map<String, Object> m = c.describe();
      m.put(
          "source",
          o.clientDefenses().stream().anyMatch(e -> e.client() == c.client())
              ? "client-defenses"
              : "run flags");
      Map<String, Object> p = privacy(c.defenses(), epochs);
      if (p != null) {
        m.put("privacy", p);
      }
      out.add(m);
    }
    return out;
  }

  /**
   * The {@code gradient_privacy} section: the DP on the gradient that carries the labels (the
   * vanilla server's returned gradient, or with {@code byClient} the u-shaped clients' cloud-output
   * gradient) and epsilon at its delta after each of {@code epochs}; null when off. Each sample's
   * row is returned once per epoch, clipped to C, with noise z C: the accounting of the
   * activations' mechanism ({@link ActivationDpAccounting}: sensitivity 2C under replacement,
   * multiplier z / 2).
   */
  static Map<String, Object> gradientPrivacy(GradientDp g, List<Integer> epochs, boolean byClient) {
    if (g == null) {
      return null;
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put(
        "mechanism",
        byClient
            ? "Gaussian on each sample's clipped row of the cloud output's gradient (client side)"
            : "Gaussian on each sample's clipped row of the returned activation gradient (server side)");
    r.put(
        "privacy_unit",
        "one training sample (its "
            + (byClient ? "cloud output" : "activation")
            + " and label); its gradient row crosses once per epoch");
    r.put("neighbouring", "replacement");
    r.put("clip", g.clip());
    r.put("l2_sensitivity", g.sensitivity());
    r.put("noise_std", g.noiseStd());
    r.put(
        "noise_multiplier_over_sensitivity",
        ActivationDpAccounting.effectiveNoiseMultiplier(g.noiseMultiplier()));
    r.put("sampling", "none (shuffled disjoint batches, sample rate 1: no amplification)");
    r.put("accountant", "RDP, orders 1.1..63, Balle et al. 2020 conversion");
    if (byClient) {
      r.put("protects", "a sample's label from the server (and anyone on the link), row by row");
      r.put(
          "not_covered",
          "the activations the client sends (a separate release: the activation defenses); the "
              + "models' dependence on other clients' data (not accounted)");
    } else {
      r.put(
          "protects",
          "a sample's label and activation from whoever sees the returned gradients but not the "
              + "labels (eavesdropper, relay, a tap); row by row, the server model from the client");
      r.put(
          "not_covered",
          "labels from the client (it sends them); the server model's dependence on other clients' "
              + "data (not accounted)");
    }
    r.put("delta", g.delta());
    List<Map<String, Object>> per = new ArrayList<>();
    for (int e : epochs) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("epoch", e);
      p.put("epsilon", ActivationDpAccounting.epsilon(g.noiseMultiplier(), g.delta(), e));
      per.add(p);
    }
    r.put("per_epoch", per);
    return r;
  }
}
