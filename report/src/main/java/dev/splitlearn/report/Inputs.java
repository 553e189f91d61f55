package dev.splitlearn.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The runs and attacks a report shows, found in the folders it is given, and the table's rows that
 * pair each attack with the run it attacked.
 *
 * <p>The rule: a folder that holds {@code results.json} is a run, one that holds {@code
 * attack.json} is an attack (a folder may be both: then the attack is of that run); a folder that
 * holds neither is searched one level down, and each subfolder that holds either is taken (in name
 * order). An attack in a folder of its own is paired with the run its attack.json names under
 * {@code run} (the {@code --run} it was given: a path, tried from the current folder, else matched
 * by folder name among the runs found); a named run that was not among the folders given is read
 * too, if it is there. An attack whose run cannot be found gets a row of its own.
 *
 * @param runs the runs, in the order found
 * @param attacks the attacks, in the order found
 * @param rows one row per attack with its run (or none), and one per run that no attack attacked
 */
public record Inputs(
    List<RunResults> runs,
    List<AttackResults> attacks,
    List<LabelAttackResults> labelAttacks,
    List<Row> rows) {
  /**
   * One row of the report's table and one point of its trade-off plot.
   *
   * @param name the run's name, with the attack's when a run was attacked more than once
   * @param run the training run, or null for an attack whose run was not found
   * @param attack the attack on it, or null
   */
  public record Row(String name, RunResults run, AttackResults attack) {}

  /**
   * Finds the runs and attacks in {@code folders}.
   *
   * @throws IOException if a folder does not exist, or holds neither results.json nor attack.json,
   *     in itself or in a subfolder (the message names the folder), or if a file found cannot be
   *     read
   */
  public static Inputs of(List<Path> folders) throws IOException {
    if (folders.isEmpty()) {
      throw new IllegalArgumentException("report: give at least one run or attack folder");
    }
    Map<Path, RunResults> runs = new LinkedHashMap<>();
    Map<Path, AttackResults> attacks = new LinkedHashMap<>();
    Map<Path, LabelAttackResults> labelAttacks = new LinkedHashMap<>();
    Set<String> names = new HashSet<>();
    for (Path folder : folders) {
      if (!Files.isDirectory(folder)) {
        throw new IOException(folder + ": no such folder");
      }
      List<Path> found = holds(folder) ? List.of(folder) : subfolders(folder);
      if (found.isEmpty()) {
        throw new IOException(
            folder
                + ": no "
                + RunResults.FILE
                + " or "
                + AttackResults.FILE
                + " in it or in its subfolders");
      }
      for (Path f : found) {
        Path key = f.toRealPath();
        if (Files.isRegularFile(f.resolve(RunResults.FILE)) && !runs.containsKey(key)) {
          runs.put(key, RunResults.read(f, unique(names, f)));
        }
        if (Files.isRegularFile(f.resolve(AttackResults.FILE))
            && !attacks.containsKey(key)
            && !labelAttacks.containsKey(key)) {
          com.fasterxml.jackson.databind.JsonNode a =
              RunResults.Json.read(f.resolve(AttackResults.FILE));
          if (LabelAttackResults.is(a)) {
            labelAttacks.put(key, LabelAttackResults.of(a, f, unique(names, f)));
          } else {
            attacks.put(key, AttackResults.read(f, a, unique(names, f)));
          }
        }
      }
    }
    Map<AttackResults, RunResults> attacked = new LinkedHashMap<>();
    for (Map.Entry<Path, AttackResults> a : attacks.entrySet()) {
      RunResults run =
          runs.containsKey(a.getKey()) ? runs.get(a.getKey()) : runOf(a.getValue(), runs, names);
      if (run != null) {
        attacked.put(a.getValue(), run);
      }
    }
    return new Inputs(
        List.copyOf(runs.values()),
        List.copyOf(attacks.values()),
        List.copyOf(labelAttacks.values()),
        rows(runs, attacks, attacked));
  }

  private static boolean holds(Path folder) {
    return Files.isRegularFile(folder.resolve(RunResults.FILE))
        || Files.isRegularFile(folder.resolve(AttackResults.FILE));
  }

  private static List<Path> subfolders(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.filter(Files::isDirectory).filter(Inputs::holds).sorted().toList();
    }
  }

  /**
   * The folder's name, or parent/name (then a number) if another folder of that name came first.
   */
  private static String unique(Set<String> names, Path folder) {
    Path abs = folder.toAbsolutePath().normalize();
    String name = abs.getFileName() == null ? abs.toString() : abs.getFileName().toString();
    if (!names.contains(name) || abs.getParent() == null || abs.getParent().getFileName() == null) {
      return claim(names, name);
    }
    return claim(names, abs.getParent().getFileName() + "/" + name);
  }

  private static String claim(Set<String> names, String name) {
    String n = name;
    for (int i = 2; names.contains(n); i++) {
      n = name + " (" + i + ")";
    }
    names.add(n);
    return n;
  }

  /**
   * The run an attack names: by path, else by folder name among the runs; read from disk if not yet
   * found.
   */
  private static RunResults runOf(AttackResults a, Map<Path, RunResults> runs, Set<String> names)
      throws IOException {
    if (a.run() == null || a.run().isBlank()) {
      return null;
    }
    Path named = Path.of(a.run());
    if (Files.isRegularFile(named.resolve(RunResults.FILE))) {
      Path key = named.toRealPath();
      if (!runs.containsKey(key)) {
        runs.put(key, RunResults.read(named, unique(names, named)));
      }
      return runs.get(key);
    }
    String last = named.getFileName() == null ? "" : named.getFileName().toString();
    List<RunResults> same =
        runs.values().stream()
            .filter(
                r -> r.folder().toAbsolutePath().normalize().getFileName().toString().equals(last))
            .toList();
    return same.size() == 1 ? same.get(0) : null;
  }

  private static List<Row> rows(
      Map<Path, RunResults> runs,
      Map<Path, AttackResults> attacks,
      Map<AttackResults, RunResults> attacked) {
    List<Row> rows = new ArrayList<>();
    for (RunResults run : runs.values()) {
      List<AttackResults> on =
          attacked.entrySet().stream()
              .filter(e -> e.getValue() == run)
              .map(Map.Entry::getKey)
              .toList();
      if (on.isEmpty()) {
        rows.add(new Row(run.name(), run, null));
      }
      for (AttackResults a : on) {
        rows.add(new Row(on.size() == 1 ? run.name() : run.name() + " / " + a.name(), run, a));
      }
    }
    for (AttackResults a : attacks.values()) {
      if (!attacked.containsKey(a)) {
        rows.add(new Row(a.name(), null, a));
      }
    }
    return List.copyOf(rows);
  }
}
