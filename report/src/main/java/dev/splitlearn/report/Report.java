package dev.splitlearn.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A self-contained HTML report of runs and attacks (see {@link Inputs} for which folders count):
 * sections {@code runs} (the table), {@code curves} (training curves per run), {@code tradeoff}
 * (accuracy against leakage across runs) and {@code attacks} (originals over reconstructions for
 * images, overlaid line plots for signals). Images are embedded as {@code data:image/png;base64}
 * URIs and the style is inline, so the one file can be mailed or archived and opened offline. The
 * page is the same for the same inputs (no time stamp).
 */
public final class Report {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  private static final String STYLE =
      """
      body{font-family:sans-serif;margin:24px;color:#222;max-width:1400px}
      h1{font-size:22px;margin:0 0 4px}
      h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:28px}
      p.meta{color:#666;font-size:13px;margin:0}
      table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}
      th{background:#f3f3f3}td.t,th.t{text-align:left}
      .figs{display:flex;flex-wrap:wrap;gap:16px}figure{margin:0}figcaption{font-size:13px;color:#444;max-width:100%}
      img{max-width:100%;height:auto;border:1px solid #eee}
      """;

  private Report() {}

  /**
   * The report's page for the runs and attacks in {@code folders}.
   *
   * @param title the page's title and heading
   * @throws IOException as {@link Inputs#of} (a folder without results.json or attack.json, files
   *     that cannot be read)
   */
  public static String html(List<Path> folders, String title) throws IOException {
    Inputs in = Inputs.of(folders);
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(esc(title))
        .append("</title>\n<style>")
        .append(STYLE)
        .append("</style></head>\n<body>\n<h1>")
        .append(esc(title))
        .append("</h1>\n<p class=\"meta\">")
        .append(in.runs().size())
        .append(" training run(s), ")
        .append(in.attacks().size())
        .append(" attack(s), from ")
        .append(esc(String.join(", ", folders.stream().map(Path::toString).toList())))
        .append("</p>\n");
    table(h, in.rows());
    curves(h, in.runs());
    tradeoff(h, in.rows());
    attacks(h, in.attacks());
    labels(h, in.labelAttacks());
    return h.append("</body></html>\n").toString();
  }

  /**
   * Writes the report to {@code out} atomically (a temporary file beside it, then a move).
   *
   * @return {@code out}
   * @throws IOException as {@link #html}, or if {@code out} cannot be written
   */
  public static Path write(List<Path> folders, String title, Path out) throws IOException {
    String page = html(folders, title);
    Path parent = out.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = parent.resolve(out.getFileName() + ".tmp");
    Files.writeString(tmp, page, StandardCharsets.UTF_8);
    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return out;
  }

  private static void table(StringBuilder h, List<Inputs.Row> rows) {
    h.append(
        "<section id=\"runs\"><h2>Runs</h2>\n<table><tr><th class=\"t\">run</th><th class=\"t\">dataset</th>"
            + "<th class=\"t\">model</th><th class=\"t\">protocol</th><th class=\"t\">cuts</th>"
            + "<th class=\"t\">defenses</th>"
            + "<th>test accuracy</th><th>last dCor</th><th class=\"t\">attack</th><th>SSIM</th><th>PSNR (dB)</th>"
            + "<th>Pearson</th><th>MB up</th><th>MB down</th></tr>\n");
    for (Inputs.Row r : rows) {
      RunResults run = r.run();
      h.append("<tr><td class=\"t\">").append(esc(r.name())).append("</td>");
      for (String s :
          run == null
              ? List.of("", "", "", "", "")
              : List.of(run.dataset(), run.model(), run.protocol(), run.cuts(), run.defenses())) {
        h.append("<td class=\"t\">").append(esc(s)).append("</td>");
      }
      cell(h, run == null ? Double.NaN : run.testAccuracy(), "%.4f");
      cell(h, run == null ? Double.NaN : run.lastDistanceCorrelation(), "%.3f");
      h.append(
          r.attack() == null
              ? "<td class=\"t\"></td>"
              : "<td class=\"t\" title=\""
                  + esc(r.attack().kind())
                  + "\">"
                  + esc(r.attack().name() + " (" + r.attack().leaked() + " leaked pairs)")
                  + "</td>");
      cell(h, r.attack() == null ? Double.NaN : r.attack().ssim(), "%.3f");
      cell(h, r.attack() == null ? Double.NaN : r.attack().psnr(), "%.2f");
      cell(h, r.attack() == null ? Double.NaN : r.attack().pearson(), "%.3f");
      cell(h, run == null ? Double.NaN : run.bytesUp() / 1e6, "%.1f");
      cell(h, run == null ? Double.NaN : run.bytesDown() / 1e6, "%.1f");
      h.append("</tr>\n");
    }
    h.append(
        "</table>\n<p class=\"meta\">dCor: distance correlation of the client's inputs and the activations it "
            + "sends, after the last epoch. SSIM, PSNR, Pearson: of the attacker's reconstructions of held-out inputs "
            + "(higher: more leaked). MB: bytes each way over the whole run.</p></section>\n");
  }

  private static void curves(StringBuilder h, List<RunResults> runs) {
    h.append("<section id=\"curves\"><h2>Training curves</h2>\n<div class=\"figs\">\n");
    for (RunResults run : runs) {
      figure(
          h,
          Charts.curves(run),
          "training curves of " + run.name(),
          esc(run.name()) + ": test accuracy, train " + "loss and dCor per epoch");
    }
    if (runs.isEmpty()) {
      h.append("<p>No training run was given.</p>\n");
    }
    h.append("</div></section>\n");
  }

  private static void tradeoff(StringBuilder h, List<Inputs.Row> rows) {
    h.append("<section id=\"tradeoff\"><h2>Accuracy against leakage</h2>\n");
    byte[] png = Charts.tradeoff(rows);
    if (png == null) {
      h.append(
          "<p>No run has both a test accuracy and a leakage figure (inversion SSIM or dCor).</p>\n");
    } else {
      figure(
          h,
          png,
          "test accuracy against leakage",
          "One point per run (and attack): leakage is the inversion "
              + "SSIM where an attack on images was given, else the run's last dCor. Up and to the left is better.");
    }
    h.append("</section>\n");
  }

  private static void attacks(StringBuilder h, List<AttackResults> attacks) {
    h.append(
        "<section id=\"attacks\"><h2>What the attacker reconstructed</h2>\n<div class=\"figs\">\n");
    boolean any = false;
    for (AttackResults a : attacks) {
      if (a.originals() == null) {
        continue;
      }
      any = true;
      int k = (int) a.originals().shape()[0];
      String scores =
          String.format(
              Locale.ROOT,
              "MSE %.4f%s%s%s",
              a.mse(),
              score(", SSIM %.3f", a.ssim()),
              score(", PSNR %.2f dB", a.psnr()),
              score(", Pearson %.3f", a.pearson()));
      if (SampleGrid.isImage(a.originals().shape())) {
        figure(
            h,
            SampleGrid.png(a.originals(), a.reconstructions()),
            "originals over reconstructions, " + a.name(),
            esc(a.name())
                + ": "
                + k
                + " held-out inputs (top) and the attacker's reconstructions (bottom); "
                + scores);
      } else {
        figure(
            h,
            Charts.signals(a.originals(), a.reconstructions()),
            "original and reconstructed signals, " + a.name(),
            esc(a.name())
                + ": held-out signals and the attacker's reconstructions, overlaid; "
                + scores);
      }
    }
    if (!any) {
      h.append(
          "<p>No attack with saved samples (originals.npy, reconstructions.npy) was given.</p>\n");
    }
    h.append("</div></section>\n");
  }

  private static void labels(StringBuilder h, List<LabelAttackResults> attacks) {
    if (attacks.isEmpty()) {
      return;
    }
    h.append(
        "<section id=\"labels\"><h2>What the attacker inferred of the labels</h2>\n<table><tr>"
            + "<th class=\"t\">attack</th><th class=\"t\">run</th><th class=\"t\">findings</th></tr>\n");
    for (LabelAttackResults a : attacks) {
      h.append("<tr><td class=\"t\">")
          .append(esc(a.name()))
          .append("</td><td class=\"t\">")
          .append(esc(a.run() == null ? "" : a.run()))
          .append("</td><td class=\"t\">")
          .append(esc(String.join("; ", a.findings())))
          .append("</td></tr>\n");
    }
    h.append(
        "</table><p>From the server's tap alone (splitlearn attack --kind label); chance is the "
            + "majority class's share, the class prior the training set's.</p></section>\n");
  }

  private static String score(String format, double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, format, v) : "";
  }

  private static void cell(StringBuilder h, double v, String format) {
    h.append("<td>")
        .append(Double.isFinite(v) ? String.format(Locale.ROOT, format, v) : "&ndash;")
        .append("</td>");
  }

  private static void figure(StringBuilder h, byte[] png, String alt, String captionHtml) {
    h.append("<figure><img alt=\"")
        .append(esc(alt))
        .append("\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(png))
        .append("\"><figcaption>")
        .append(captionHtml)
        .append("</figcaption></figure>\n");
  }

  /** Text made safe for HTML content and attribute values. */
  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
