package dev.splitlearn.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds a data set's directory, downloading it into the per-user cache when allowed.
 *
 * <p>{@link DataOptions#dataDir()} (the CLI's {@code --data-dir}), when given, is the only place
 * searched (and the download target). Otherwise the search order, each a root holding one folder
 * per data set ({@code ROOT/mnist/...}), is:
 *
 * <ol>
 *   <li>the environment variable {@code SPLITLEARN_DATA};
 *   <li>the per-user cache: {@link DataOptions#cacheDir()} if set, else {@code
 *       $XDG_CACHE_HOME/splitlearn/data}, else {@code ~/.cache/splitlearn/data}.
 * </ol>
 *
 * A root whose own name is the data set's name (e.g. {@code --data-dir ~/data/mnist}) also counts.
 * If no candidate holds every required file and {@link DataOptions#download()} is true, the files
 * are downloaded from the canonical source (or {@link DataOptions#mirror()}) into the cache,
 * SHA-256 verified; CIFAR-10's archive is extracted and deleted.
 */
public final class DataLocator {

  /** Environment variable naming a data root. */
  public static final String ENV_DATA = "SPLITLEARN_DATA";

  private DataLocator() {}

  /** A candidate root and where it came from, for messages. */
  private record Root(Path dir, String origin) {}

  /**
   * Finds (or downloads) a data set.
   *
   * @param name a known data set name ({@link DataSets#NAMES})
   * @param options where to look and whether to download
   * @return the data set's directory, holding every required file
   * @throws IllegalArgumentException if the name is unknown
   * @throws IOException with a one-line message listing the directories searched, the download
   *     failure if any, and which files to put where
   */
  public static Path locate(String name, DataOptions options) throws IOException {
    return locate(DataSource.forName(name), options, System.getenv());
  }

  /**
   * @param options the options
   * @return the roots searched, in order
   */
  public static List<Path> searchRoots(DataOptions options) {
    return roots(options, System.getenv()).stream().map(Root::dir).toList();
  }

  /**
   * @param env the environment
   * @return {@code $XDG_CACHE_HOME/splitlearn/data} if that variable holds an absolute path, else
   *     {@code ~/.cache/splitlearn/data}
   */
  static Path defaultCacheDir(Map<String, String> env) {
    String xdg = env.get("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("splitlearn").resolve("data");
  }

  private static List<Root> roots(DataOptions options, Map<String, String> env) {
    List<Root> roots = new ArrayList<>();
    if (options.dataDir().isPresent()) {
      // An explicit directory is authoritative: silently training on another copy would surprise.
      roots.add(new Root(options.dataDir().get(), "--data-dir"));
      return roots;
    }
    String e = env.get(ENV_DATA);
    if (e != null && !e.isBlank()) {
      roots.add(new Root(Path.of(e), "$" + ENV_DATA));
    }
    roots.add(new Root(options.cacheDir().orElseGet(() -> defaultCacheDir(env)), "cache"));
    return roots;
  }

  static Path locate(DataSource source, DataOptions options, Map<String, String> env)
      throws IOException {
    List<Root> roots = roots(options, env);
    List<String> tried = new ArrayList<>();
    String partial = null;
    for (Root root : roots) {
      List<Path> candidates = new ArrayList<>(List.of(root.dir().resolve(source.id())));
      Path own = root.dir().getFileName();
      if (own != null && own.toString().equals(source.id())) {
        candidates.add(root.dir());
      }
      for (Path dir : candidates) {
        if (!Files.isDirectory(dir)) {
          continue;
        }
        List<String> missing = source.missing(dir);
        if (missing.isEmpty()) {
          return dir;
        }
        if (partial == null) {
          partial =
              dir
                  + " lacks "
                  + (missing.size() > 3
                      ? missing.size() + " files, e.g. " + missing.get(0)
                      : String.join(", ", missing));
        }
      }
      tried.add(root.dir().resolve(source.id()) + " (" + root.origin() + ")");
    }
    Path cache = roots.get(roots.size() - 1).dir().resolve(source.id());
    String downloadPart = "downloads disabled";
    if (options.download()) {
      try {
        download(source, cache, options);
        List<String> missing = source.missing(cache);
        if (missing.isEmpty()) {
          return cache;
        }
        downloadPart = "download finished but " + cache + " lacks " + missing;
      } catch (IOException e) {
        downloadPart = e.getMessage();
        try {
          Files.deleteIfExists(cache); // only if the failed download left it empty
        } catch (IOException ignored) {
          // not empty: keep what is there
        }
      }
    }
    throw new IOException(
        source.id()
            + ": not found in "
            + tried
            + (partial == null ? "" : " (" + partial + ")")
            + "; "
            + downloadPart
            + ". Put the files "
            + source.describeFiles()
            + " under "
            + roots.get(0).dir().resolve(source.id())
            + " or pass --data-dir");
  }

  private static void download(DataSource source, Path dir, DataOptions options)
      throws IOException {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IOException("cannot create cache " + dir + " (" + Downloader.reason(e) + ")", e);
    }
    for (String file : source.downloadFiles()) {
      Path target = dir.resolve(file);
      if (Files.isRegularFile(target)) {
        continue; // renamed into place only after verification
      }
      Downloader.fetch(
          source.urls(file, options.mirror().orElse(null)),
          target,
          source.id() + "/" + file,
          options.progress());
    }
    if (source == DataSource.CIFAR10) {
      extractArchive(dir.resolve(DataSource.CIFAR_ARCHIVE), dir, options.progress());
    }
  }

  /**
   * Extracts into a scratch folder, then moves the top-level entries into {@code dir}, replacing
   * them.
   */
  private static void extractArchive(Path archive, Path dir, ProgressListener progress)
      throws IOException {
    progress.progress("extract " + archive.getFileName(), 0, 1);
    Path scratch = Files.createTempDirectory(dir, ".extract");
    try {
      TarReader.extract(archive, scratch);
      try (Stream<Path> top = Files.list(scratch)) {
        for (Path p : top.collect(Collectors.toList())) {
          Path target = dir.resolve(p.getFileName().toString());
          deleteTree(target);
          Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
        }
      }
      Files.delete(archive);
    } finally {
      deleteTree(scratch);
    }
    progress.progress("extract " + archive.getFileName(), 1, 1);
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> all = Files.walk(p)) {
      for (Path q : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
