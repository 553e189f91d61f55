package dev.splitlearn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Search order, error messages and download failures, without touching the network or the real
 * cache.
 */
class DataLocatorTest {
  @TempDir Path tmp;

  private DataOptions.Builder options() {
    return DataOptions.builder().optCacheDir(tmp.resolve("cache")).optDownload(false);
  }

  @Test
  void searchOrderIsDataDirElseEnvironmentThenCache() throws IOException {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    Path cache = tmp.resolve("cache");
    for (Path root : new Path[] {a, b, cache}) {
      IdxTest.writeMnistTree(root.resolve("mnist"), 2, 1);
    }
    Map<String, String> env = Map.of("SPLITLEARN_DATA", b.toString());
    assertEquals(
        a.resolve("mnist"),
        DataLocator.locate(DataSource.MNIST, options().optDataDir(a).build(), env));
    assertEquals(b.resolve("mnist"), DataLocator.locate(DataSource.MNIST, options().build(), env));
    assertEquals(
        cache.resolve("mnist"), DataLocator.locate(DataSource.MNIST, options().build(), Map.of()));
    assertThrows(
        IOException.class,
        () ->
            DataLocator.locate(
                DataSource.MNIST, options().optDataDir(tmp.resolve("empty")).build(), env),
        "an explicit --data-dir is the only place searched");
  }

  @Test
  void aRootNamedLikeTheDataSetCountsItself() throws IOException {
    Path mnist = tmp.resolve("x").resolve("mnist");
    IdxTest.writeMnistTree(mnist, 2, 1);
    assertEquals(
        mnist, DataLocator.locate(DataSource.MNIST, options().optDataDir(mnist).build(), Map.of()));
  }

  @Test
  void cacheFollowsXdg() {
    assertEquals(
        Path.of("/xdg/splitlearn/data"),
        DataLocator.defaultCacheDir(Map.of("XDG_CACHE_HOME", "/xdg")));
    assertEquals(
        Path.of(System.getProperty("user.home"), ".cache", "splitlearn", "data"),
        DataLocator.defaultCacheDir(Map.of("XDG_CACHE_HOME", "relative")));
  }

  @Test
  void offlineMessageListsWhereItLookedAndWhatToPutWhere() throws IOException {
    Path a = tmp.resolve("a");
    Files.createDirectories(a.resolve("mnist"));
    IdxWriterHelper.writeOne(a.resolve("mnist"));
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                DataLocator.locate(
                    DataSource.MNIST, options().build(), Map.of("SPLITLEARN_DATA", a.toString())));
    String m = e.getMessage();
    assertTrue(
        m.startsWith(
            "mnist: not found in ["
                + a.resolve("mnist")
                + " ($SPLITLEARN_DATA), "
                + tmp.resolve("cache").resolve("mnist")
                + " (cache)]"),
        m);
    assertTrue(
        m.contains(a.resolve("mnist") + " lacks train-labels-idx1-ubyte[.gz], t10k-images"), m);
    assertTrue(
        m.contains(
            "; downloads disabled. Put the files {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz] under "
                + a.resolve("mnist")
                + " or pass --data-dir"),
        m);
    assertFalse(m.contains("\n"));
  }

  @Test
  void downloadFailureIsOneLineWithTheUrl() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: connections are refused
    }
    DataOptions o =
        options()
            .optDownload(true)
            .optMirror(URI.create("http://127.0.0.1:" + port + "/m"))
            .build();
    IOException e =
        assertThrows(IOException.class, () -> DataLocator.locate(DataSource.MITBIH, o, Map.of()));
    String m = e.getMessage();
    assertTrue(
        m.startsWith(
            "mitbih: not found in ["
                + tmp.resolve("cache").resolve("mitbih")
                + " (cache)]; "
                + "download from http://127.0.0.1:"
                + port
                + "/m/mitbih/100.hea failed ("),
        m);
    assertTrue(
        m.endsWith(
            "Put the files NNN.{hea,dat,atr} for the 48 records 100..234 (from "
                + "https://physionet.org/files/mitdb/1.0.0/) under "
                + tmp.resolve("cache").resolve("mitbih")
                + " or pass --data-dir"),
        m);
    assertFalse(m.contains("\n"));
  }

  @Test
  void unknownNamesListTheKnownOnes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> DataSets.load("imagenet", options().build()));
    assertEquals(
        "unknown data set 'imagenet'; known: [mnist, fashion-mnist, cifar10, mitbih]",
        e.getMessage());
    assertEquals(DataSets.NAMES, java.util.List.of("mnist", "fashion-mnist", "cifar10", "mitbih"));
  }

  @Test
  void offlineEnvironmentDisablesDownloadsByDefault() {
    assertTrue(DataOptions.downloadAllowedBy(Map.of()));
    assertFalse(DataOptions.downloadAllowedBy(Map.of("DJL_OFFLINE", "true")));
    assertFalse(DataOptions.downloadAllowedBy(Map.of("SPLITLEARN_OFFLINE", "TRUE")));
    assertTrue(DataOptions.downloadAllowedBy(Map.of("SPLITLEARN_OFFLINE", "false")));
  }

  @Test
  void optionsValidateTheirKnobs() {
    assertThrows(
        IllegalArgumentException.class, () -> DataOptions.builder().optBeatWindow(4).build());
    assertThrows(
        IllegalArgumentException.class, () -> DataOptions.builder().optTestFraction(1).build());
    DataOptions d = DataOptions.defaults();
    assertEquals(128, d.beatWindow());
    assertEquals(MitBihSplit.INTRA_PATIENT, d.split());
    assertEquals(0.2, d.testFraction());
    assertFalse(d.excludePaced());
    assertEquals(7, d.toBuilder().optSeed(7).build().seed());
  }

  /** Writes only the train images of an MNIST tree. */
  private static final class IdxWriterHelper {
    static void writeOne(Path d) throws IOException {
      IdxWriter.write(d.resolve("train-images-idx3-ubyte.gz"), IdxTest.images(2));
    }
  }
}
