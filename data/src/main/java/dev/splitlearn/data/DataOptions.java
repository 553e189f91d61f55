package dev.splitlearn.data;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link DataSets#load} finds and prepares a data set. Immutable; build with {@link
 * #builder()}.
 *
 * <p>Defaults: no explicit data directory, downloads allowed unless the environment variable {@code
 * SPLITLEARN_OFFLINE} or {@code DJL_OFFLINE} is {@code true}, no progress reports, seed 42, MIT-BIH
 * beat window 128 samples, intra-patient split, test fraction 0.2, paced records kept.
 */
public final class DataOptions {

  /** Default seed for every random choice made while loading (MIT-BIH intra-patient split). */
  public static final long DEFAULT_SEED = 42L;

  /** Default MIT-BIH beat window, in samples at 360 Hz (about 0.36 s). */
  public static final int DEFAULT_BEAT_WINDOW = 128;

  /** Default fraction of MIT-BIH beats held out for testing in the intra-patient split. */
  public static final double DEFAULT_TEST_FRACTION = 0.2;

  /** Smallest allowed beat window. */
  public static final int MIN_BEAT_WINDOW = 8;

  /** Largest allowed beat window (10 s at 360 Hz). */
  public static final int MAX_BEAT_WINDOW = 3600;

  private final Path dataDir;
  private final Path cacheDir;
  private final boolean download;
  private final URI mirror;
  private final ProgressListener progress;
  private final long seed;
  private final int beatWindow;
  private final MitBihSplit split;
  private final double testFraction;
  private final boolean excludePaced;

  private DataOptions(Builder b) {
    this.dataDir = b.dataDir;
    this.cacheDir = b.cacheDir;
    this.download = b.download;
    this.mirror = b.mirror;
    this.progress = b.progress;
    this.seed = b.seed;
    this.beatWindow = b.beatWindow;
    this.split = b.split;
    this.testFraction = b.testFraction;
    this.excludePaced = b.excludePaced;
  }

  /**
   * @return a builder holding the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return the default options
   */
  public static DataOptions defaults() {
    return builder().build();
  }

  /**
   * @return a builder holding these options, to derive a changed copy
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.dataDir = dataDir;
    b.cacheDir = cacheDir;
    b.download = download;
    b.mirror = mirror;
    b.progress = progress;
    b.seed = seed;
    b.beatWindow = beatWindow;
    b.split = split;
    b.testFraction = testFraction;
    b.excludePaced = excludePaced;
    return b;
  }

  /**
   * @return the directory searched first (the CLI's {@code --data-dir}), if set
   */
  public Optional<Path> dataDir() {
    return Optional.ofNullable(dataDir);
  }

  /**
   * @return the download cache directory if overridden; otherwise {@link DataLocator} picks the
   *     per-user cache
   */
  public Optional<Path> cacheDir() {
    return Optional.ofNullable(cacheDir);
  }

  /**
   * @return whether a data set missing from every searched directory may be downloaded
   */
  public boolean download() {
    return download;
  }

  /**
   * @return a base URL replacing the canonical download sources ({@code MIRROR/NAME/FILE}), if set
   */
  public Optional<URI> mirror() {
    return Optional.ofNullable(mirror);
  }

  /**
   * @return where progress of downloads is reported
   */
  public ProgressListener progress() {
    return progress;
  }

  /**
   * @return the seed for random choices made while loading
   */
  public long seed() {
    return seed;
  }

  /**
   * @return the MIT-BIH beat window length in samples
   */
  public int beatWindow() {
    return beatWindow;
  }

  /**
   * @return how MIT-BIH beats are split into train and test
   */
  public MitBihSplit split() {
    return split;
  }

  /**
   * @return the fraction of beats held out in the MIT-BIH intra-patient split
   */
  public double testFraction() {
    return testFraction;
  }

  /**
   * @return whether the paced records 102, 104, 107, 217 are left out of the intra-patient split
   */
  public boolean excludePaced() {
    return excludePaced;
  }

  @Override
  public String toString() {
    return "DataOptions[dataDir="
        + dataDir
        + ", cacheDir="
        + cacheDir
        + ", download="
        + download
        + ", mirror="
        + mirror
        + ", seed="
        + seed
        + ", beatWindow="
        + beatWindow
        + ", split="
        + split
        + ", testFraction="
        + testFraction
        + ", excludePaced="
        + excludePaced
        + "]";
  }

  /**
   * Whether the environment allows downloads: not when SPLITLEARN_OFFLINE or DJL_OFFLINE is "true".
   */
  static boolean downloadAllowedBy(Map<String, String> env) {
    return !isTrue(env.get("SPLITLEARN_OFFLINE")) && !isTrue(env.get("DJL_OFFLINE"));
  }

  private static boolean isTrue(String s) {
    return s != null && s.trim().toLowerCase(Locale.ROOT).equals("true");
  }

  /** Builder of {@link DataOptions}; every knob is optional. */
  public static final class Builder {
    private Path dataDir;
    private Path cacheDir;
    private boolean download = downloadAllowedBy(System.getenv());
    private URI mirror;
    private ProgressListener progress = ProgressListener.NONE;
    private long seed = DEFAULT_SEED;
    private int beatWindow = DEFAULT_BEAT_WINDOW;
    private MitBihSplit split = MitBihSplit.INTRA_PATIENT;
    private double testFraction = DEFAULT_TEST_FRACTION;
    private boolean excludePaced;

    private Builder() {}

    /**
     * @param dir the directory searched first; it holds one folder per data set ({@code
     *     dir/mnist/...}). Null clears it.
     * @return this builder
     */
    public Builder optDataDir(Path dir) {
      this.dataDir = dir;
      return this;
    }

    /**
     * @param dir overrides the per-user download cache ({@code $XDG_CACHE_HOME/splitlearn/data} or
     *     {@code ~/.cache/splitlearn/data}); null restores it
     * @return this builder
     */
    public Builder optCacheDir(Path dir) {
      this.cacheDir = dir;
      return this;
    }

    /**
     * @param download whether a data set found nowhere may be downloaded into the cache
     * @return this builder
     */
    public Builder optDownload(boolean download) {
      this.download = download;
      return this;
    }

    /**
     * @param baseUrl a mirror to download from instead of the canonical sources; file {@code F} of
     *     data set {@code N} is fetched from {@code baseUrl/N/F}. {@code http}, {@code https} and
     *     {@code file} URLs work. Null restores the canonical sources.
     * @return this builder
     */
    public Builder optMirror(URI baseUrl) {
      this.mirror = baseUrl;
      return this;
    }

    /**
     * @param listener receives download progress; null means {@link ProgressListener#NONE}
     * @return this builder
     */
    public Builder optProgress(ProgressListener listener) {
      this.progress = listener == null ? ProgressListener.NONE : listener;
      return this;
    }

    /**
     * @param seed seed for random choices made while loading (the MIT-BIH intra-patient split)
     * @return this builder
     */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * @param window MIT-BIH beat window in samples, in [{@value DataOptions#MIN_BEAT_WINDOW},
     *     {@value DataOptions#MAX_BEAT_WINDOW}]; checked by {@link #build()}
     * @return this builder
     */
    public Builder optBeatWindow(int window) {
      this.beatWindow = window;
      return this;
    }

    /**
     * @param split how MIT-BIH beats are split into train and test
     * @return this builder
     */
    public Builder optSplit(MitBihSplit split) {
      this.split = Objects.requireNonNull(split, "split");
      return this;
    }

    /**
     * @param fraction fraction of MIT-BIH beats held out in the intra-patient split, in (0, 1);
     *     checked by {@link #build()}
     * @return this builder
     */
    public Builder optTestFraction(double fraction) {
      this.testFraction = fraction;
      return this;
    }

    /**
     * @param exclude whether to leave the paced records 102, 104, 107 and 217 out of the
     *     intra-patient split (the inter-patient split always leaves them out)
     * @return this builder
     */
    public Builder optExcludePaced(boolean exclude) {
      this.excludePaced = exclude;
      return this;
    }

    /**
     * @return the options
     * @throws IllegalArgumentException if the beat window or test fraction is out of range
     */
    public DataOptions build() {
      if (beatWindow < MIN_BEAT_WINDOW || beatWindow > MAX_BEAT_WINDOW) {
        throw new IllegalArgumentException(
            "beat window "
                + beatWindow
                + " is outside ["
                + MIN_BEAT_WINDOW
                + ", "
                + MAX_BEAT_WINDOW
                + "] samples");
      }
      if (!(testFraction > 0 && testFraction < 1)) {
        throw new IllegalArgumentException("test fraction " + testFraction + " is outside (0, 1)");
      }
      return new DataOptions(this);
    }
  }
}
