package dev.splitlearn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.splitlearn.models.ModelSpec;
import dev.splitlearn.models.planner.Candidate;
import dev.splitlearn.models.planner.Limits;
import dev.splitlearn.models.planner.Measurement;
import dev.splitlearn.models.planner.TopologyModel;
import dev.splitlearn.models.planner.TopologyPlanner;
import dev.splitlearn.models.planner.TopologyPlanner.Choice;
import dev.splitlearn.models.planner.TopologyPlanner.Evaluated;
import dev.splitlearn.models.planner.Units;
import dev.splitlearn.report.ParetoFront;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code plan --characterization}: PrivyNet's planner run from the command line. Fits the {@link
 * TopologyModel} on {@code --fit-points} measured c per k, scores it on the measured points left
 * out, computes every candidate's exact costs ({@link PlanCosts}), chooses ({@link
 * TopologyPlanner}), prints the choice, the fit and a trade-off table, and with {@code --measure}
 * trains and attacks the choice with {@code splitlearn characterize} (a grid point already measured
 * is read back instead) and checks it against the measured grid: feasible as measured, and on the
 * measured accuracy/SSIM Pareto front or how far below.
 */
final class TopologyPlan {
  private final PlanCommand cmd;
  private final double bitsPerSecond;
  private final double latencySeconds;

  TopologyPlan(PlanCommand cmd, double bitsPerSecond, double latencySeconds) {
    this.cmd = cmd;
    this.bitsPerSecond = bitsPerSecond;
    this.latencySeconds = latencySeconds;
  }

  /** A measured figure of the chosen topology and the checks against the grid. */
  private record Measured(
      Characterization.Row row,
      String source,
      boolean feasible,
      boolean onFront,
      double gapPp,
      String bestFeasible,
      double bestFeasibleAccuracy) {}

  int run() throws Exception {
    Characterization ch = Characterization.read(cmd.characterization, "--characterization");
    JsonNode st = ch.settings();
    String dataset = pick(cmd.dataset, st, "dataset", "mnist");
    String model = pick(cmd.model, st, "model", "mnist-cnn");
    int batch = cmd.batch != null ? cmd.batch : st != null ? st.path("batch").asInt(64) : 64;
    if (cmd.measure && st == null) {
      throw new IOException(
          "--measure needs "
              + CharacterizeCommand.SETTINGS_FILE
              + " beside "
              + ch.csv()
              + " (the settings to train and attack with, written by characterize)");
    }
    if (cmd.measure
        && (!dataset.equals(st.path("dataset").asText())
            || !model.equals(st.path("model").asText()))) {
      throw new IllegalArgumentException(
          "--measure: --dataset/--model must be the characterisation's ("
              + st.path("dataset").asText()
              + ", "
              + st.path("model").asText()
              + "), got "
              + dataset
              + ", "
              + model);
    }
    Limits limits = cmd.limits();
    ModelSpec spec = PlanCosts.spec(dataset, model, cmd.dataDir);
    List<Measurement> all = ch.measurements();
    if (cmd.fitDegree < 1 || cmd.fitDegree > 2) {
      throw new IllegalArgumentException(
          "--fit-degree must be 1 (lines in ln c) or 2 (parabolas), got " + cmd.fitDegree);
    }
    if (cmd.fitPoints < cmd.fitDegree + 1) {
      throw new IllegalArgumentException(
          "--fit-points must be >= "
              + (cmd.fitDegree + 1)
              + " with --fit-degree "
              + cmd.fitDegree
              + ", got "
              + cmd.fitPoints);
    }
    List<Measurement> fitOn = TopologyModel.fitSubset(all, cmd.fitPoints);
    List<Measurement> heldOut = all.stream().filter(m -> !fitOn.contains(m)).toList();
    TopologyModel tm = TopologyModel.fit(fitOn, cmd.fitDegree);
    List<Integer> unmodelled = new ArrayList<>();
    List<Candidate> candidates = candidates(spec, model, all, tm, batch, unmodelled);
    PrintWriter o = cmd.out();
    o.printf(
        "PrivyNet plan: %s on %s, frozen pretrained extractors; %d candidates (every c of k = %s)%s%n",
        model,
        dataset,
        candidates.size(),
        tm.layers(),
        unmodelled.isEmpty()
            ? ""
            : "; not modelled (fewer than two measured c): k = " + unmodelled);
    printFit(o, tm, fitOn, heldOut, all.size());
    o.printf(
        "limits: %s, %s, %s, %s; link %s, %s one way, batch %d%n",
        limits.describe(Limits.Kind.SSIM),
        limits.describe(Limits.Kind.CLIENT_MFLOPS),
        limits.describe(Limits.Kind.CLIENT_KB),
        limits.describe(Limits.Kind.MS_PER_SAMPLE),
        Units.rate(bitsPerSecond),
        ms(latencySeconds),
        batch);
    Choice choice = TopologyPlanner.choose(candidates, tm, limits);
    Evaluated e = choice.chosen();
    Candidate c = e.candidate();
    int lo =
        all.stream()
            .filter(m -> m.layers() == c.layers())
            .mapToInt(Measurement::channels)
            .min()
            .orElse(0);
    int hi =
        all.stream()
            .filter(m -> m.layers() == c.layers())
            .mapToInt(Measurement::channels)
            .max()
            .orElse(0);
    o.printf(
        "chosen: k=%d c=%d (of %d channels)%s%n",
        c.layers(),
        c.channels(),
        c.blockChannels(),
        c.channels() < lo || c.channels() > hi
            ? "; extrapolated: the measured c of k=" + c.layers() + " span " + lo + ".." + hi
            : "");
    o.printf(
        Locale.ROOT, "  predicted: accuracy %.4f, inversion SSIM %.4f%n", e.accuracy(), e.ssim());
    o.printf(
        Locale.ROOT,
        "  exact: client %.4f MFLOPs/sample, %.1f KB; wire %.2f KB/sample, %.3f ms/sample%n",
        c.clientMflops(),
        c.clientKb(),
        c.wireBytesPerSample() / 1024,
        c.secondsPerSample() * 1e3);
    Measured measured = null;
    if (cmd.measure) {
      measured = measure(ch, st, c, limits.withoutMargin(), candidates);
      Characterization.Row r = measured.row();
      o.printf(
          Locale.ROOT,
          "measured (%s): accuracy %.4f, inversion SSIM %.4f; client %.4f MFLOPs, %.1f KB; wire "
              + "%.2f KB/sample%n",
          measured.source(),
          r.accuracy(),
          r.ssim(),
          r.clientMflops(),
          r.clientParameterBytes() / 1024.0,
          r.wireBytesPerSample() / 1024);
      o.printf(
          Locale.ROOT,
          "  feasible as measured: %s; on the measured Pareto front: %s (%.2f pp below the best "
              + "measured accuracy at no more SSIM); best measured feasible grid point: %s%n",
          measured.feasible() ? "yes" : "no",
          measured.onFront() ? "yes" : "no",
          measured.gapPp(),
          measured.bestFeasible());
    }
    printTradeOff(o, choice);
    write(ch, dataset, model, batch, limits, tm, fitOn, heldOut, choice, measured, unmodelled);
    return ExitCode.OK;
  }

  /**
   * Every c of every modelled k with its exact costs; a k with channels but no model goes to {@code
   * unmodelled}.
   */
  private List<Candidate> candidates(
      ModelSpec spec,
      String model,
      List<Measurement> all,
      TopologyModel tm,
      int batch,
      List<Integer> unmodelled) {
    List<Candidate> candidates = new ArrayList<>();
    for (int k = 1; k < spec.stages().size(); k++) {
      int blockChannels = PlanCosts.blockChannels(spec, k);
      for (Measurement m : all) {
        if (m.layers() == k && m.channels() > blockChannels) {
          throw new IllegalArgumentException(
              "--characterization: "
                  + m.label()
                  + " is not a topology of "
                  + model
                  + " (block "
                  + k
                  + " has "
                  + blockChannels
                  + " channels): measured with another model?");
        }
      }
      if (blockChannels > 0 && !tm.covers(k)) {
        unmodelled.add(k);
      } else if (blockChannels > 0) {
        candidates.addAll(PlanCosts.candidates(spec, k, batch, bitsPerSecond, latencySeconds));
      }
    }
    return candidates;
  }

  private String modelText() {
    return cmd.fitDegree == 1
        ? "per k, accuracy = a + b ln c and SSIM = s + t ln c"
        : "per k, accuracy = a + b ln c + q (ln c)^2 and SSIM = s + t ln c + r (ln c)^2";
  }

  private static String pick(String given, JsonNode settings, String key, String fallback) {
    return given != null
        ? given
        : settings != null && settings.hasNonNull(key) ? settings.get(key).asText() : fallback;
  }

  private static String ms(double seconds) {
    return String.format(Locale.ROOT, "%.4g ms", seconds * 1e3).replaceFirst("\\.?0+ ms", " ms");
  }

  private void printFit(
      PrintWriter o,
      TopologyModel tm,
      List<Measurement> fitOn,
      List<Measurement> heldOut,
      int total) {
    o.printf(
        "model: %s, least squares on %d of %d measured points (--fit-points %d)%n",
        modelText(), fitOn.size(), total, cmd.fitPoints);
    for (int k : tm.layers()) {
      TopologyModel.Fit f = tm.fitOf(k);
      o.printf(
          "  k=%d: accuracy = %s, SSIM = %s (fitted on c = %s)%n",
          k,
          f.accuracy().describe("ln c"),
          f.ssim().describe("ln c"),
          f.fittedOn().stream().map(m -> Integer.toString(m.channels())).toList());
    }
    TopologyModel.Errors err = tm.errors(heldOut);
    if (err.points() == 0) {
      o.println("fit error: no measured point held out (every one was fitted on)");
    } else {
      o.printf(
          Locale.ROOT,
          "fit error on %d held-out measured points: accuracy RMSE %.2f pp (max %.2f pp), SSIM RMSE "
              + "%.4f (max %.4f; --ssim-margin %s in use)%n",
          err.points(),
          100 * err.accuracyRmse(),
          100 * err.accuracyMaxAbs(),
          err.ssimRmse(),
          err.ssimMaxAbs(),
          cmd.ssimMargin);
    }
    o.println("| k | c | measured accuracy | predicted | measured SSIM | predicted | used |");
    o.println("| --- | --- | --- | --- | --- | --- | --- |");
    List<Measurement> all = new ArrayList<>(fitOn);
    all.addAll(heldOut);
    all.sort(
        (a, b) -> a.layers() != b.layers() ? a.layers() - b.layers() : a.channels() - b.channels());
    for (Measurement m : all) {
      boolean covered = tm.covers(m.layers());
      o.printf(
          Locale.ROOT,
          "| %d | %d | %.4f | %s | %.4f | %s | %s |%n",
          m.layers(),
          m.channels(),
          m.accuracy(),
          covered ? String.format(Locale.ROOT, "%.4f", tm.accuracy(m.layers(), m.channels())) : "-",
          m.ssim(),
          covered ? String.format(Locale.ROOT, "%.4f", tm.ssim(m.layers(), m.channels())) : "-",
          fitOn.contains(m) ? "fit" : "held out");
    }
  }

  /** Every modelled k at c = 1, 2, 4, ... and the chosen c; the full list is in candidates.csv. */
  private static void printTradeOff(PrintWriter o, Choice choice) {
    List<ParetoFront.Point> pts =
        choice.all().stream()
            .map(e -> new ParetoFront.Point(e.candidate().label(), e.accuracy(), e.ssim()))
            .toList();
    boolean[] front = ParetoFront.of(pts);
    o.println(
        "trade-off (predicted; every c in candidates.csv; front: on the predicted accuracy/SSIM Pareto front):");
    o.println(
        "| k | c | accuracy | SSIM | client MFLOPs | client KB | wire KB/sample | ms/sample | front | limits "
            + "broken |");
    o.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (int i = 0; i < choice.all().size(); i++) {
      Evaluated e = choice.all().get(i);
      Candidate c = e.candidate();
      boolean chosen = e == choice.chosen();
      if (!chosen && Integer.bitCount(c.channels()) != 1 && c.channels() != c.blockChannels()) {
        continue;
      }
      o.printf(
          Locale.ROOT,
          "| %d | %d%s | %.4f | %.4f | %.4f | %.1f | %.2f | %.3f | %s | %s |%n",
          c.layers(),
          c.channels(),
          chosen ? " (chosen)" : "",
          e.accuracy(),
          e.ssim(),
          c.clientMflops(),
          c.clientKb(),
          c.wireBytesPerSample() / 1024,
          c.secondsPerSample() * 1e3,
          front[i] ? "yes" : "no",
          e.broken().isEmpty()
              ? "-"
              : String.join(" ", e.broken().stream().map(Limits.Kind::flag).toList()));
    }
  }

  /**
   * Measures the choice: read back when it is a point of the grid, else trained and attacked by
   * {@code characterize} with the grid's settings; then checked against the grid and {@code limits}
   * (without the SSIM margin: a measured SSIM is held to the limit itself).
   */
  private Measured measure(
      Characterization ch, JsonNode st, Candidate c, Limits limits, List<Candidate> candidates)
      throws IOException {
    Characterization.Row row = ch.row(c.layers(), c.channels());
    String source = "read back from the measured grid " + ch.csv();
    if (row == null) {
      Path dir = cmd.measureOut != null ? cmd.measureOut : cmd.out.resolve("measured");
      List<String> a =
          new ArrayList<>(
              List.of(
                  "characterize",
                  "--dataset",
                  st.path("dataset").asText(),
                  "--model",
                  st.path("model").asText(),
                  "--pretrained",
                  st.path("pretrained").asText(),
                  "--grid",
                  "k=" + c.layers() + ";c=" + c.channels(),
                  "--channel-select",
                  st.path("channel_select").asText(),
                  "--epochs",
                  st.path("epochs").asText(),
                  "--limit",
                  st.path("limit").asText(),
                  "--test-limit",
                  st.path("test_limit").asText(),
                  "--batch",
                  st.path("batch").asText(),
                  "--lr",
                  st.path("lr").asText(),
                  "--seeds",
                  seedsOf(st),
                  "--leaked",
                  st.path("leaked").asText(),
                  "--attack-samples",
                  st.path("attack_samples").asText(),
                  "--attack-epochs",
                  st.path("attack_epochs").asText(),
                  "--out",
                  dir.toString()));
      if (cmd.dataDir != null) {
        a.addAll(List.of("--data-dir", cmd.dataDir.toString()));
      }
      cmd.err()
          .printf("splitlearn plan: measuring %s: splitlearn %s%n", c.label(), String.join(" ", a));
      cmd.err().flush();
      int code = Main.commandLine(cmd.out(), cmd.err()).execute(a.toArray(String[]::new));
      if (code != ExitCode.OK) {
        throw new IOException(
            "plan --measure: characterize of "
                + c.label()
                + " failed (exit "
                + code
                + ", its error above)");
      }
      row = Characterization.read(dir, "--measure-out").row(c.layers(), c.channels());
      source = "trained and attacked by characterize in " + dir;
    }
    List<Characterization.Row> grid = new ArrayList<>(ch.rows());
    if (ch.row(c.layers(), c.channels()) == null) {
      grid.add(row);
    }
    boolean[] front =
        ParetoFront.of(
            grid.stream()
                .map(
                    r ->
                        new ParetoFront.Point("k=" + r.k() + " c=" + r.c(), r.accuracy(), r.ssim()))
                .toList());
    Characterization.Row chosen = row;
    double best =
        grid.stream()
            .filter(r -> r.ssim() <= chosen.ssim())
            .mapToDouble(Characterization.Row::accuracy)
            .max()
            .orElse(chosen.accuracy());
    Characterization.Row bestFeasible = null;
    for (Characterization.Row r : ch.rows()) {
      Candidate rc =
          candidates.stream()
              .filter(x -> x.layers() == r.k() && x.channels() == r.c())
              .findFirst()
              .orElse(null);
      if (rc != null
          && limits.broken(rc, r.ssim()).isEmpty()
          && (bestFeasible == null || r.accuracy() > bestFeasible.accuracy())) {
        bestFeasible = r;
      }
    }
    return new Measured(
        row,
        source,
        limits.broken(c, row.ssim()).isEmpty(),
        front[grid.indexOf(row)],
        100 * (best - row.accuracy()),
        bestFeasible == null
            ? "none"
            : String.format(
                Locale.ROOT,
                "k=%d c=%d, accuracy %.4f, SSIM %.4f",
                bestFeasible.k(),
                bestFeasible.c(),
                bestFeasible.accuracy(),
                bestFeasible.ssim()),
        bestFeasible == null ? Double.NaN : bestFeasible.accuracy());
  }

  /** The characterisation's seeds as a --seeds list (older settings files name one --seed). */
  private static String seedsOf(JsonNode st) {
    if (!st.path("seeds").isArray()) {
      return st.path("seed").asText();
    }
    List<String> s = new ArrayList<>();
    st.path("seeds").forEach(v -> s.add(v.asText()));
    return String.join(",", s);
  }

  private void write(
      Characterization ch,
      String dataset,
      String model,
      int batch,
      Limits limits,
      TopologyModel tm,
      List<Measurement> fitOn,
      List<Measurement> heldOut,
      Choice choice,
      Measured measured,
      List<Integer> unmodelled)
      throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("mode", "privynet");
    json.put("characterization", ch.csv().toString());
    json.put("dataset", dataset);
    json.put("model", model);
    json.put("batch", batch);
    json.put("bandwidth_bits_per_second", bitsPerSecond);
    json.put("latency_seconds", latencySeconds);
    Map<String, Object> lim = new LinkedHashMap<>();
    for (Limits.Kind k : Limits.Kind.values()) {
      double b = limits.withoutMargin().bound(k);
      lim.put(k.flag().substring(2), Double.isInfinite(b) ? null : b);
    }
    lim.put("ssim-margin", limits.ssimMargin());
    json.put("limits", lim);
    Map<String, Object> fit = new LinkedHashMap<>();
    fit.put("model", modelText() + ", least squares");
    fit.put("degree", cmd.fitDegree);
    fit.put("fit_points_per_k", cmd.fitPoints);
    fit.put("fitted_on", fitOn.stream().map(Measurement::label).toList());
    fit.put("held_out", heldOut.stream().map(Measurement::label).toList());
    Map<String, Object> lines = new LinkedHashMap<>();
    for (int k : tm.layers()) {
      TopologyModel.Fit f = tm.fitOf(k);
      Map<String, Object> l = new LinkedHashMap<>(); // a fixed key order in every run
      l.put("accuracy_coefficients", f.accuracy().coefficients()); // of 1, ln c, (ln c)^2
      l.put("ssim_coefficients", f.ssim().coefficients());
      lines.put("k" + k, l);
    }
    fit.put("lines", lines);
    fit.put("held_out_errors", tm.errors(heldOut));
    fit.put("not_modelled_k", unmodelled);
    json.put("fit", fit);
    Evaluated e = choice.chosen();
    json.put("chosen", candidateJson(e));
    if (measured != null) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("source", measured.source());
      m.put("test_accuracy", measured.row().accuracy());
      m.put("inversion_ssim", measured.row().ssim());
      m.put("client_mflops_per_sample", measured.row().clientMflops());
      m.put("client_parameter_bytes", measured.row().clientParameterBytes());
      m.put("wire_bytes_per_sample", measured.row().wireBytesPerSample());
      m.put("feasible", measured.feasible());
      m.put("on_measured_pareto_front", measured.onFront());
      m.put("pp_below_front", measured.gapPp());
      m.put("best_measured_feasible_grid_point", measured.bestFeasible());
      m.put("best_measured_feasible_grid_accuracy", measured.bestFeasibleAccuracy());
      json.put("measured", m);
    }
    Runner.writeAtomically(cmd.out.resolve("plan.json"), json);
    StringBuilder csv =
        new StringBuilder("k,c,block_channels,predicted_accuracy,predicted_ssim,")
            .append(
                "client_mflops_per_sample,client_parameter_bytes,wire_bytes_per_sample,ms_per_sample,feasible,")
            .append("limits_broken\n");
    for (Evaluated x : choice.all()) {
      Candidate c = x.candidate();
      csv.append(
          String.format(
              Locale.ROOT,
              "%d,%d,%d,%.6f,%.6f,%.6f,%d,%.2f,%.6f,%b,%s%n",
              c.layers(),
              c.channels(),
              c.blockChannels(),
              x.accuracy(),
              x.ssim(),
              c.clientMflops(),
              c.clientParameterBytes(),
              c.wireBytesPerSample(),
              c.secondsPerSample() * 1e3,
              x.feasible(),
              String.join(" ", x.broken().stream().map(Limits.Kind::flag).toList())));
    }
    Path file = cmd.out.resolve("candidates.csv");
    Path tmp = file.resolveSibling("candidates.csv.tmp");
    Files.writeString(tmp, csv, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    cmd.err().printf("splitlearn plan: %s, %s%n", cmd.out.resolve("plan.json"), file);
  }

  private static Map<String, Object> candidateJson(Evaluated e) {
    Candidate c = e.candidate();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("k", c.layers());
    m.put("c", c.channels());
    m.put("block_channels", c.blockChannels());
    m.put("predicted_accuracy", e.accuracy());
    m.put("predicted_ssim", e.ssim());
    m.put("client_mflops_per_sample", c.clientMflops());
    m.put("client_parameter_bytes", c.clientParameterBytes());
    m.put("wire_bytes_per_sample", c.wireBytesPerSample());
    m.put("ms_per_sample", c.secondsPerSample() * 1e3);
    return m;
  }
}
