package dev.splitlearn.data;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Downloads files over HTTP(S) (or copies {@code file:} URLs) into a temporary file, verifies its
 * SHA-256 against the sums kept in {@code checksums.sha256}, and renames it into place atomically,
 * so a file present under its final name is always complete and verified.
 */
final class Downloader {

  private static final String SUMS_RESOURCE = "checksums.sha256";
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
  private static final long PROGRESS_STEP = 1 << 20;
  private static volatile Map<String, String> sums;

  private Downloader() {}

  /**
   * Fetches {@code key} (a {@code DATASET/FILE} name) from the first URL that works.
   *
   * @param urls URLs to try in order
   * @param target the final path
   * @param key the checksum key, e.g. {@code mnist/train-images-idx3-ubyte.gz}
   * @param progress receives byte counts
   * @throws IOException "download from URL failed (reason)" for the first URL if none works
   */
  static void fetch(List<URI> urls, Path target, String key, ProgressListener progress)
      throws IOException {
    IOException first = null;
    for (URI url : urls) {
      try {
        fetch(url, target, key, progress);
        return;
      } catch (IOException e) {
        if (first == null) {
          first =
              new IOException(
                  "download from "
                      + url
                      + " failed ("
                      + reason(e)
                      + ")"
                      + (urls.size() > 1
                          ? " and from " + (urls.size() - 1) + " other mirror(s)"
                          : ""),
                  e);
        }
      }
    }
    throw first != null ? first : new IOException("no URL to download " + key + " from");
  }

  /** Downloads one URL to {@code target} and verifies it against the sum kept for {@code key}. */
  static void fetch(URI url, Path target, String key, ProgressListener progress)
      throws IOException {
    String[] expected = expectedSha256(key);
    if (expected == null) {
      throw new IOException("no known SHA-256 for " + key);
    }
    fetchVerified(url, target, expected[0], expected[1] != null, "download " + key, progress);
  }

  /**
   * Downloads {@code url} into a temporary file beside {@code target}, checks its SHA-256 and
   * renames it to {@code target}; on any failure nothing is left behind.
   *
   * @param sha256 the expected lower-case hex sum
   * @param ofGunzip whether the sum is of the file's gunzipped contents rather than the file itself
   * @param what the progress label
   */
  static void fetchVerified(
      URI url, Path target, String sha256, boolean ofGunzip, String what, ProgressListener progress)
      throws IOException {
    Path tmp = IdxWriter.tempSibling(target);
    try {
      MessageDigest md = sha256();
      try (InputStream in = new DigestInputStream(open(url, what, progress), md);
          OutputStream out = Files.newOutputStream(tmp)) {
        in.transferTo(out);
      }
      String got = ofGunzip ? gunzipSha256(tmp) : HexFormat.of().formatHex(md.digest());
      if (!got.equals(sha256)) {
        throw new IOException(
            "SHA-256 mismatch"
                + (ofGunzip ? " of the uncompressed contents" : "")
                + ": got "
                + got
                + ", expected "
                + sha256);
      }
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static InputStream open(URI url, String what, ProgressListener progress)
      throws IOException {
    if ("file".equalsIgnoreCase(url.getScheme())) {
      Path p = Path.of(url);
      return new Counting(Files.newInputStream(p), what, Files.size(p), progress);
    }
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    HttpRequest request = HttpRequest.newBuilder(url).timeout(RESPONSE_TIMEOUT).GET().build();
    HttpResponse<InputStream> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (IOException e) {
      throw new IOException(describeConnectFailure(url, e), e);
    }
    if (response.statusCode() != 200) {
      response.body().close();
      throw new IOException("HTTP " + response.statusCode());
    }
    long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
    return new Counting(response.body(), what, total, progress);
  }

  /**
   * A short reason for a failed connection: unknown host, refused, timed out, or the exception's
   * own.
   */
  private static String describeConnectFailure(URI url, IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.nio.channels.UnresolvedAddressException
          || t instanceof java.net.UnknownHostException) {
        return "cannot resolve host " + url.getHost() + "; no network?";
      }
      if (t instanceof java.net.ConnectException) {
        return "cannot connect to "
            + url.getHost()
            + (url.getPort() > 0 ? ":" + url.getPort() : "");
      }
      if (t instanceof java.net.http.HttpTimeoutException) {
        return "timed out: " + t.getMessage();
      }
    }
    return reason(e);
  }

  /**
   * @param key {@code DATASET/FILE}
   * @return {@code {sum, null}} for a sum of the file itself, {@code {sum, "gunzip"}} for a sum of
   *     the uncompressed contents of a {@code .gz} file, or null if no sum is known
   */
  static String[] expectedSha256(String key) throws IOException {
    Map<String, String> s = loadSums();
    if (s.containsKey(key)) {
      return new String[] {s.get(key), null};
    }
    if (key.endsWith(".gz") && s.containsKey(key.substring(0, key.length() - 3))) {
      return new String[] {s.get(key.substring(0, key.length() - 3)), "gunzip"};
    }
    return null;
  }

  private static Map<String, String> loadSums() throws IOException {
    Map<String, String> s = sums;
    if (s != null) {
      return s;
    }
    s = new HashMap<>();
    try (InputStream in = Downloader.class.getResourceAsStream(SUMS_RESOURCE)) {
      if (in == null) {
        throw new IOException(
            "resource " + SUMS_RESOURCE + " is missing from the splitlearn-data jar");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = r.readLine()) != null; ) {
        line = line.strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\\s+", 2);
        s.put(f[1].strip(), f[0].toLowerCase(java.util.Locale.ROOT));
      }
    }
    sums = Map.copyOf(s);
    return sums;
  }

  private static String gunzipSha256(Path gz) throws IOException {
    MessageDigest md = sha256();
    try (InputStream in =
        new DigestInputStream(new GZIPInputStream(Files.newInputStream(gz), 1 << 16), md)) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new IOException("downloaded file is not valid gzip (" + reason(e) + ")", e);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** A one-line reason: the exception's message, or its class name when it has none. */
  static String reason(Throwable e) {
    Throwable t = e;
    while (t.getMessage() == null && t.getCause() != null) {
      t = t.getCause();
    }
    String m = t.getMessage();
    String name = t.getClass().getSimpleName();
    if (m == null || m.isBlank()) {
      return name;
    }
    boolean plain = t.getClass() == IOException.class;
    return (plain ? m : name + ": " + m).replace('\n', ' ');
  }

  /** Reports bytes read every {@value #PROGRESS_STEP} bytes and at the end. */
  private static final class Counting extends FilterInputStream {
    private final String what;
    private final long total;
    private final ProgressListener progress;
    private long done;
    private long reported;

    Counting(InputStream in, String what, long total, ProgressListener progress) {
      super(in);
      this.what = what;
      this.total = total;
      this.progress = progress;
      progress.progress(what, 0, total);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count(b < 0 ? -1 : 1);
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      count(n);
      return n;
    }

    private void count(int n) {
      if (n < 0) {
        if (reported != done || done == 0) {
          progress.progress(what, done, total);
          reported = done;
        }
        return;
      }
      done += n;
      if (done - reported >= PROGRESS_STEP) {
        progress.progress(what, done, total);
        reported = done;
      }
    }
  }
}
