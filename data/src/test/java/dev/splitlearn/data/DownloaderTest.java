package dev.splitlearn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from an in-process HTTP server: verification, atomic placement, progress, failures. */
class DownloaderTest {
  @TempDir Path tmp;
  private HttpServer server;
  private final byte[] payload = new byte[3 << 20];

  @BeforeEach
  void start() throws IOException {
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 31 + (i >> 9));
    }
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/data.bin",
        x -> {
          x.sendResponseHeaders(200, payload.length);
          try (OutputStream o = x.getResponseBody()) {
            o.write(payload);
          }
        });
    server.createContext(
        "/data.bin.gz",
        x -> {
          byte[] gz = gzip(payload);
          x.sendResponseHeaders(200, gz.length);
          try (OutputStream o = x.getResponseBody()) {
            o.write(gz);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream o = new GZIPOutputStream(out)) {
      o.write(b);
    }
    return out.toByteArray();
  }

  private String sha(byte[] b) {
    return HexFormat.of().formatHex(Downloader.sha256().digest(b));
  }

  @Test
  void verifiedDownloadLandsAtomicallyWithProgress() throws IOException {
    Path target = tmp.resolve("sub").resolve("data.bin");
    AtomicLong last = new AtomicLong(-1);
    AtomicLong calls = new AtomicLong();
    Downloader.fetchVerified(
        url("/data.bin"),
        target,
        sha(payload),
        false,
        "download x",
        (w, done, total) -> {
          assertEquals("download x", w);
          assertEquals(payload.length, total);
          assertTrue(done >= last.get());
          last.set(done);
          calls.incrementAndGet();
        });
    assertArrayEquals(payload, Files.readAllBytes(target));
    assertEquals(payload.length, last.get());
    assertTrue(calls.get() >= 3, "progress reported per MiB: " + calls.get());
    try (var files = Files.list(target.getParent())) {
      assertEquals(List.of(target), files.toList(), "no temporary file left");
    }
  }

  @Test
  void gzipDownloadsCanBeVerifiedByTheirContents() throws IOException {
    Path target = tmp.resolve("data.bin.gz");
    Downloader.fetchVerified(
        url("/data.bin.gz"), target, sha(payload), true, "gz", ProgressListener.NONE);
    assertTrue(IdxReader.isGzip(target));
  }

  @Test
  void checksumMismatchLeavesNothingBehind() {
    Path target = tmp.resolve("data.bin");
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                Downloader.fetchVerified(
                    url("/data.bin"), target, "00".repeat(32), false, "x", ProgressListener.NONE));
    assertTrue(e.getMessage().startsWith("SHA-256 mismatch: got " + sha(payload)), e.getMessage());
    assertFalse(Files.exists(target));
    assertTrue(tmp.toFile().list().length == 0, "temp file removed");
  }

  @Test
  void httpErrorsAndMirrorsAreReported() {
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                Downloader.fetch(
                    List.of(url("/missing"), url("/also-missing")),
                    tmp.resolve("f"),
                    "mnist/train-images-idx3-ubyte.gz",
                    ProgressListener.NONE));
    assertEquals(
        "download from " + url("/missing") + " failed (HTTP 404) and from 1 other mirror(s)",
        e.getMessage());
  }

  @Test
  void fileUrlsWorkAndUnknownKeysAreRefused() throws IOException {
    Path src = tmp.resolve("src.bin");
    Files.write(src, payload);
    Downloader.fetchVerified(
        src.toUri(), tmp.resolve("copy.bin"), sha(payload), false, "c", ProgressListener.NONE);
    assertArrayEquals(payload, Files.readAllBytes(tmp.resolve("copy.bin")));
    IOException e =
        assertThrows(
            IOException.class,
            () -> Downloader.fetch(src.toUri(), tmp.resolve("y"), "nope/y", ProgressListener.NONE));
    assertEquals("no known SHA-256 for nope/y", e.getMessage());
  }

  @Test
  void everyDownloadHasAKnownSum() throws IOException {
    for (DataSource s : DataSource.values()) {
      for (String f : s.downloadFiles()) {
        assertTrue(Downloader.expectedSha256(s.id() + "/" + f) != null, s.id() + "/" + f);
      }
    }
    assertEquals(
        null,
        Downloader.expectedSha256("mnist/train-images-idx3-ubyte.gz")[1],
        "gz sum of its own");
    assertEquals(
        "gunzip", Downloader.expectedSha256("fashion-mnist/train-images-idx3-ubyte.gz")[1]);
  }
}
