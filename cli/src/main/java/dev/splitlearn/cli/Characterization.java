package dev.splitlearn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitlearn.models.planner.Measurement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@code splitlearn characterize} output read back for the planner: the measured grid points of
 * {@code characterize.csv} and, when the folder has it, {@code characterize.json} (the settings
 * they were measured with, which {@code plan --measure} reuses).
 *
 * @param csv the CSV read
 * @param rows its rows, in file order
 * @param settings the settings, or null when there is no characterize.json beside the CSV
 */
record Characterization(Path csv, List<Row> rows, JsonNode settings) {
  /** One measured point: the CSV's columns the planner uses. */
  record Row(
      int k,
      int c,
      double accuracy,
      double ssim,
      double clientMflops,
      long clientParameterBytes,
      double wireBytesPerSample) {
    Measurement measurement() {
      return new Measurement(k, c, accuracy, ssim);
    }
  }

  Characterization {
    rows = List.copyOf(rows);
  }

  /**
   * Reads a characterisation folder (its characterize.csv and characterize.json) or a CSV alone.
   *
   * @param flag the option named in errors
   * @throws IOException naming {@code flag} and the file when it is missing or not a
   *     characterisation
   */
  static Characterization read(Path path, String flag) throws IOException {
    Path csv = Files.isDirectory(path) ? path.resolve("characterize.csv") : path;
    if (!Files.isRegularFile(csv)) {
      throw new IOException(
          flag
              + " "
              + path
              + ": no "
              + csv.getFileName()
              + " (give a 'splitlearn characterize' "
              + "folder or its CSV)");
    }
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      throw new IOException(flag + " " + csv + " is empty");
    }
    List<String> header = Arrays.asList(lines.get(0).trim().split(",", -1));
    int[] at = new int[7];
    String[] names = {
      "k",
      "c",
      "test_accuracy",
      "inversion_ssim",
      "client_mflops_per_sample",
      "client_parameter_bytes",
      "wire_bytes_per_sample"
    };
    for (int i = 0; i < names.length; i++) {
      at[i] = header.indexOf(names[i]);
      if (at[i] < 0) {
        throw new IOException(
            flag
                + " "
                + csv
                + ": no column "
                + names[i]
                + " in the header (not a 'splitlearn "
                + "characterize' CSV?)");
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int line = 1; line < lines.size(); line++) {
      if (lines.get(line).isBlank()) {
        continue;
      }
      String[] f = lines.get(line).split(",", -1);
      if (f.length != header.size()) {
        throw new IOException(
            flag
                + " "
                + csv
                + " line "
                + (line + 1)
                + ": "
                + f.length
                + " fields, the header has "
                + header.size());
      }
      try {
        rows.add(
            new Row(
                Integer.parseInt(f[at[0]].trim()),
                Integer.parseInt(f[at[1]].trim()),
                Double.parseDouble(f[at[2]]),
                Double.parseDouble(f[at[3]]),
                Double.parseDouble(f[at[4]]),
                Long.parseLong(f[at[5]].trim()),
                Double.parseDouble(f[at[6]])));
      } catch (NumberFormatException e) {
        throw new IOException(
            flag + " " + csv + " line " + (line + 1) + ": not a number (" + e.getMessage() + ")");
      }
    }
    if (rows.isEmpty()) {
      throw new IOException(flag + " " + csv + " has no measured points");
    }
    Path json = csv.resolveSibling(CharacterizeCommand.SETTINGS_FILE);
    JsonNode settings =
        Files.isRegularFile(json) ? new ObjectMapper().readTree(json.toFile()) : null;
    return new Characterization(csv, rows, settings);
  }

  /** The measured points as the planner's measurements. */
  List<Measurement> measurements() {
    return rows.stream().map(Row::measurement).toList();
  }

  /** The row of (k, c), or null. */
  Row row(int k, int c) {
    return rows.stream().filter(r -> r.k() == k && r.c() == c).findFirst().orElse(null);
  }
}
