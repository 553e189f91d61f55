package dev.splitlearn.models.planner;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a client can afford, each limit inclusive; {@code Double.POSITIVE_INFINITY} means no limit.
 *
 * @param maxSsim the largest predicted black-box inversion SSIM allowed (the leakage limit)
 * @param maxClientMflops the largest client forward MFLOPs per sample
 * @param maxClientKb the largest client parameter size in KB (1024 bytes)
 * @param maxMsPerSample the largest transfer time per training sample on the link, ms
 * @param ssimMargin how far below {@code maxSsim} the predicted SSIM must stay, &gt;= 0: room for
 *     the fit's error (a prediction is a fitted line; the held-out error says how far off it has
 *     been)
 */
public record Limits(
    double maxSsim,
    double maxClientMflops,
    double maxClientKb,
    double maxMsPerSample,
    double ssimMargin) {
  /** No limit at all. */
  public static final Limits NONE =
      new Limits(
          Double.POSITIVE_INFINITY,
          Double.POSITIVE_INFINITY,
          Double.POSITIVE_INFINITY,
          Double.POSITIVE_INFINITY);

  /** Limits without an SSIM margin. */
  public Limits(double maxSsim, double maxClientMflops, double maxClientKb, double maxMsPerSample) {
    this(maxSsim, maxClientMflops, maxClientKb, maxMsPerSample, 0);
  }

  public Limits {
    check("--max-ssim", maxSsim, -1);
    check("--ssim-margin", ssimMargin, 0);
    if (Double.isInfinite(ssimMargin)) {
      throw new IllegalArgumentException("--ssim-margin must be finite, got " + ssimMargin);
    }
    check("--max-client-mflops", maxClientMflops, 0);
    check("--max-client-kb", maxClientKb, 0);
    check("--max-ms-per-sample", maxMsPerSample, 0);
  }

  private static void check(String flag, double v, double lowest) {
    if (Double.isNaN(v) || v < lowest) {
      throw new IllegalArgumentException(
          flag + " must be >= " + (lowest == 0 ? "0" : "-1") + ", got " + v);
    }
  }

  /** One limit: its flag, how a topology is measured against it, and the bound. */
  public enum Kind {
    SSIM("--max-ssim", "predicted SSIM"),
    CLIENT_MFLOPS("--max-client-mflops", "client MFLOPs/sample"),
    CLIENT_KB("--max-client-kb", "client KB"),
    MS_PER_SAMPLE("--max-ms-per-sample", "ms/sample on the link");

    private final String flag;
    private final String quantity;

    Kind(String flag, String quantity) {
      this.flag = flag;
      this.quantity = quantity;
    }

    /** The option that sets this limit. */
    public String flag() {
      return flag;
    }

    /** What is compared with it, for messages. */
    public String quantity() {
      return quantity;
    }

    /** The quantity of a candidate whose predicted SSIM is {@code ssim}. */
    public double of(Candidate c, double ssim) {
      return switch (this) {
        case SSIM -> ssim;
        case CLIENT_MFLOPS -> c.clientMflops();
        case CLIENT_KB -> c.clientKb();
        case MS_PER_SAMPLE -> c.secondsPerSample() * 1e3;
      };
    }
  }

  /** The same limits without the SSIM margin: what a measured topology is held to. */
  public Limits withoutMargin() {
    return new Limits(maxSsim, maxClientMflops, maxClientKb, maxMsPerSample);
  }

  /** The bound of one limit (the SSIM limit less the margin). */
  public double bound(Kind kind) {
    return switch (kind) {
      case SSIM -> maxSsim - ssimMargin;
      case CLIENT_MFLOPS -> maxClientMflops;
      case CLIENT_KB -> maxClientKb;
      case MS_PER_SAMPLE -> maxMsPerSample;
    };
  }

  /**
   * The limits a candidate with predicted SSIM {@code ssim} breaks, in {@link Kind} order (empty:
   * feasible).
   */
  public List<Kind> broken(Candidate c, double ssim) {
    List<Kind> out = new ArrayList<>();
    for (Kind k : Kind.values()) {
      if (!(k.of(c, ssim) <= bound(k))) {
        out.add(k);
      }
    }
    return out;
  }

  /**
   * {@code --max-ssim 0.3}, {@code --max-ssim none}, or {@code --max-ssim 0.3 less --ssim-margin
   * 0.05}.
   */
  public String describe(Kind kind) {
    double b = kind == Kind.SSIM ? maxSsim : bound(kind);
    String margin =
        kind == Kind.SSIM && ssimMargin > 0 && !Double.isInfinite(b)
            ? " less --ssim-margin " + number(ssimMargin)
            : "";
    return kind.flag() + " " + (Double.isInfinite(b) ? "none" : number(b)) + margin;
  }

  private static String number(double v) {
    return String.format(Locale.ROOT, "%.6g", v).replaceFirst("\\.?0+$", "");
  }
}
