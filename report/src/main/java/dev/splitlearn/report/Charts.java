package dev.splitlearn.report;

import dev.splitlearn.privacy.Npy;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's charts, drawn by JFreeChart into PNG bytes: training curves per run, the
 * accuracy/leakage trade-off across runs, and original vs reconstructed signals. Headless: nothing
 * is shown on a screen.
 */
final class Charts {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);
  private static final Color GRID = new Color(0xdddddd);

  private Charts() {}

  /**
   * Test accuracy, train loss and dCor against epoch, one panel each, one line per phase (the split
   * run and any baseline; dCor is only measured on the split run).
   *
   * @return a 560 x 520 PNG
   */
  static byte[] curves(RunResults run) {
    NumberAxis epoch = new NumberAxis("epoch");
    epoch.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epoch);
    plot.setGap(8);
    plot.add(panel(run, "test accuracy", RunResults.Epoch::testAccuracy));
    plot.add(panel(run, "train loss", RunResults.Epoch::trainLoss));
    plot.add(panel(run, "dCor(X, A)", RunResults.Epoch::distanceCorrelation));
    XYPlot first = (XYPlot) plot.getSubplots().get(0);
    plot.setFixedLegendItems(first.getLegendItems()); // one entry per phase, not one per panel
    boolean phases = first.getDataset().getSeriesCount() > 1;
    return png(chart(run.name(), plot, phases), 560, 520);
  }

  private static XYPlot panel(RunResults run, String label, ToDoubleFunction<RunResults.Epoch> y) {
    Map<String, XYSeries> byPhase =
        new LinkedHashMap<>(); // every phase in every panel: one colour each
    run.epochs().forEach(e -> byPhase.computeIfAbsent(e.phase(), p -> new XYSeries(p, true, true)));
    for (RunResults.Epoch e : run.epochs()) {
      double v = y.applyAsDouble(e);
      if (Double.isFinite(v)) {
        byPhase.get(e.phase()).add(e.epoch(), v);
      }
    }
    XYSeriesCollection data = new XYSeriesCollection();
    byPhase.values().forEach(data::addSeries);
    XYPlot p = new XYPlot(data, null, axis(label), renderer(true, true));
    style(p);
    return p;
  }

  /**
   * Test accuracy (y) against leakage (x) of each row that has both: the attack's inversion SSIM
   * when there is one, else the run's last dCor (two series, so the two kinds of x are told apart);
   * each point labelled with its row's name.
   *
   * @return a 760 x 420 PNG, or null if no row has both numbers
   */
  static byte[] tradeoff(List<Inputs.Row> rows) {
    // [0]: points whose x is an inversion SSIM, [1]: points whose x is a dCor; labels in step
    XYSeries[] series = {
      new XYSeries("x = inversion SSIM", false, true),
      new XYSeries("x = dCor (no image attack)", false, true)
    };
    List<List<String>> labels = List.of(new ArrayList<>(), new ArrayList<>());
    for (Inputs.Row r : rows) {
      double ssim = r.attack() == null ? Double.NaN : r.attack().ssim();
      int kind = Double.isFinite(ssim) ? 0 : 1;
      double x =
          kind == 0 ? ssim : r.run() == null ? Double.NaN : r.run().lastDistanceCorrelation();
      if (r.run() != null && Double.isFinite(x)) {
        series[kind].add(x, r.run().testAccuracy());
        labels.get(kind).add(r.name());
      }
    }
    XYSeriesCollection data = new XYSeriesCollection();
    List<List<String>> names = new ArrayList<>();
    for (int k = 0; k < series.length; k++) {
      if (series[k].getItemCount() > 0) {
        data.addSeries(series[k]);
        names.add(labels.get(k));
      }
    }
    if (data.getSeriesCount() == 0) {
      return null;
    }
    XYLineAndShapeRenderer points = renderer(false, true);
    points.setDefaultItemLabelGenerator((d, s, item) -> names.get(s).get(item));
    points.setDefaultItemLabelsVisible(true);
    points.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    NumberAxis x = axis("leakage (higher: more is leaked)");
    x.setLowerMargin(0.15); // room for the labels
    x.setUpperMargin(0.15);
    XYPlot plot = new XYPlot(data, x, axis("test accuracy"), points);
    style(plot);
    return png(chart("accuracy against leakage", plot, true), 760, 420);
  }

  /**
   * Accuracy (y) against leakage (x): the Pareto front's points joined by a line, the others as
   * points, each labelled.
   *
   * @return a 760 x 460 PNG
   */
  static byte[] pareto(
      String title,
      String leakageLabel,
      List<ParetoFront.Point> front,
      List<ParetoFront.Point> others) {
    XYSeries[] series = {
      new XYSeries("Pareto front", false, true), new XYSeries("dominated", false, true)
    };
    List<List<ParetoFront.Point>> groups = List.of(front, others);
    XYSeriesCollection data = new XYSeriesCollection();
    List<List<ParetoFront.Point>> shown = new ArrayList<>();
    for (int k = 0; k < 2; k++) {
      for (ParetoFront.Point p : groups.get(k)) {
        series[k].add(p.leakage(), p.accuracy());
      }
      if (series[k].getItemCount() > 0) {
        data.addSeries(series[k]);
        shown.add(groups.get(k));
      }
    }
    XYLineAndShapeRenderer r = renderer(false, true);
    if (!front.isEmpty()) {
      r.setSeriesLinesVisible(0, true);
    }
    r.setDefaultItemLabelGenerator((d, s, item) -> shown.get(s).get(item).label());
    r.setDefaultItemLabelsVisible(true);
    r.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    NumberAxis x = axis(leakageLabel);
    x.setLowerMargin(0.12);
    x.setUpperMargin(0.12);
    XYPlot plot = new XYPlot(data, x, axis("test accuracy"), r);
    style(plot);
    return png(chart(title, plot, true), 760, 460);
  }

  /**
   * Original and reconstructed signals overlaid, one small chart per sample (at most 8, in a grid
   * of 4 columns); for samples of several channels, the first channel.
   *
   * @return a PNG of 4 x 260 by rows x 180 pixels
   */
  static byte[] signals(Npy.Array originals, Npy.Array reconstructions) {
    int n = (int) Math.min(8, originals.shape()[0]);
    int len = originals.data().length / (int) originals.shape()[0];
    int channelLength = (int) originals.shape()[originals.shape().length - 1];
    int cols = Math.min(4, n);
    int rowsOfCharts = (n + cols - 1) / cols;
    int w = 260;
    int h = 180;
    BufferedImage image = new BufferedImage(cols * w, rowsOfCharts * h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    for (int i = 0; i < n; i++) {
      XYSeries truth = new XYSeries("original", true, false);
      XYSeries guess = new XYSeries("reconstruction", true, false);
      for (int t = 0; t < channelLength; t++) {
        truth.add(t, originals.data()[i * len + t]);
        guess.add(t, reconstructions.data()[i * len + t]);
      }
      XYSeriesCollection data = new XYSeriesCollection(truth);
      data.addSeries(guess);
      XYPlot plot = new XYPlot(data, axis(null), axis(null), renderer(true, false));
      style(plot);
      JFreeChart c = chart("sample " + (i + 1), plot, i == 0);
      c.getTitle().setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      c.draw(g, new Rectangle2D.Double(i % cols * w, i / cols * h, w, h));
    }
    g.dispose();
    return encode(image);
  }

  /**
   * A value axis that does not stretch to zero, spans at least 0.01 (so that one point or a flat
   * line does not get ticks in the sixth decimal, printed in E notation).
   */
  private static NumberAxis axis(String label) {
    NumberAxis a = new NumberAxis(label);
    a.setAutoRangeIncludesZero(false);
    a.setAutoRangeMinimumSize(0.01);
    return a;
  }

  private static XYLineAndShapeRenderer renderer(boolean lines, boolean shapes) {
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(lines, shapes);
    Color[] colors = {
      new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e)
    };
    for (int i = 0; i < colors.length; i++) {
      r.setSeriesPaint(i, colors[i]);
      r.setSeriesStroke(i, new BasicStroke(1.6f));
      r.setSeriesShape(i, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
    }
    return r;
  }

  private static void style(XYPlot p) {
    p.setBackgroundPaint(Color.WHITE);
    p.setDomainGridlinePaint(GRID);
    p.setRangeGridlinePaint(GRID);
  }

  private static JFreeChart chart(String title, Plot plot, boolean legend) {
    JFreeChart c = new JFreeChart(title, TITLE, plot, legend);
    c.setBackgroundPaint(Color.WHITE);
    return c;
  }

  private static byte[] png(JFreeChart chart, int width, int height) {
    return encode(chart.createBufferedImage(width, height));
  }

  /** PNG bytes of an image. */
  static byte[] encode(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a PNG in memory", e);
    }
    return out.toByteArray();
  }
}
