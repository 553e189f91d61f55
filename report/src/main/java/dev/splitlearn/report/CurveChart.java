package dev.splitlearn.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A line chart of named curves, for results that are not training runs (e.g. the crowd simulation's
 * accuracy against simulated time and bytes), drawn like the report's own curves. Headless.
 */
public final class CurveChart {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  /**
   * One curve.
   *
   * @param name legend entry
   * @param x x values
   * @param y y values, as many as x
   */
  public record Curve(String name, double[] x, double[] y) {
    public Curve {
      if (x.length != y.length) {
        throw new IllegalArgumentException(
            "curve " + name + ": " + x.length + " x values but " + y.length + " y");
      }
    }
  }

  private CurveChart() {}

  /**
   * Draws {@code curves} (at most four colours, then JFreeChart's) into a PNG.
   *
   * @return PNG bytes of {@code width x height}
   */
  public static byte[] png(
      String title, String xLabel, String yLabel, List<Curve> curves, int width, int height) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (Curve c : curves) {
      XYSeries s = new XYSeries(c.name(), false, true);
      for (int i = 0; i < c.x().length; i++) {
        s.add(c.x()[i], c.y()[i]);
      }
      data.addSeries(s);
    }
    NumberAxis x = new NumberAxis(xLabel);
    NumberAxis y = new NumberAxis(yLabel);
    y.setAutoRangeIncludesZero(false);
    y.setAutoRangeMinimumSize(0.01);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    Color[] colors = {
      new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e)
    };
    for (int i = 0; i < colors.length; i++) {
      r.setSeriesPaint(i, colors[i]);
      r.setSeriesStroke(i, new BasicStroke(1.6f));
      r.setSeriesShape(i, new Ellipse2D.Double(-3, -3, 6, 6));
    }
    XYPlot plot = new XYPlot(data, x, y, r);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    return Charts.encode(chart.createBufferedImage(width, height));
  }
}
