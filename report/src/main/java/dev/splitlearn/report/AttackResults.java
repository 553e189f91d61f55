package dev.splitlearn.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.splitlearn.privacy.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What a report shows of one attack, read from its {@code attack.json} and the samples it names.
 *
 * @param name the attack's name in the report (its folder's name)
 * @param folder the attack's folder
 * @param run the {@code run} key of attack.json: the attacked run's folder as given to the attack,
 *     or null
 * @param kind what attack it was (e.g. "black-box inversion (MLP decoder, hidden 512)")
 * @param leaked pairs the attacker knew
 * @param ssim mean SSIM of the held-out reconstructions (NaN if not scored, e.g. for signals);
 *     {@code psnr}, {@code pearson} and {@code mse} likewise
 * @param originals held-out inputs, shape (k, sample shape...), or null if the attack saved none
 * @param reconstructions the attacker's reconstructions of {@code originals}, same shape, or null
 */
public record AttackResults(
    String name,
    Path folder,
    String run,
    String kind,
    int leaked,
    double ssim,
    double psnr,
    double pearson,
    double mse,
    Npy.Array originals,
    Npy.Array reconstructions) {
  /** The file an attack folder holds. */
  public static final String FILE = "attack.json";

  /**
   * Reads {@code folder/attack.json} and, when it names them, its originals and reconstructions.
   *
   * @throws IOException if a file cannot be read, attack.json has no {@code mse}, or the two sample
   *     files differ in shape
   */
  public static AttackResults read(Path folder, String name) throws IOException {
    return read(folder, RunResults.Json.read(folder.resolve(FILE)), name);
  }

  /** As {@link #read(Path, String)}, from the already parsed attack.json {@code a}. */
  static AttackResults read(Path folder, JsonNode a, String name) throws IOException {
    Path file = folder.resolve(FILE);
    if (!a.path("mse").isNumber()) {
      throw new IOException(file + ": not a splitlearn attack.json (no mse)");
    }
    Npy.Array originals = samples(folder, a, "originals");
    Npy.Array reconstructions = samples(folder, a, "reconstructions");
    if ((originals == null) != (reconstructions == null)
        || originals != null && !Arrays.equals(originals.shape(), reconstructions.shape())) {
      throw new IOException(
          file
              + ": originals and reconstructions must both be there and of one shape, got "
              + (originals == null ? "none" : Arrays.toString(originals.shape()))
              + " and "
              + (reconstructions == null ? "none" : Arrays.toString(reconstructions.shape())));
    }
    return new AttackResults(
        name,
        folder,
        a.hasNonNull("run") ? a.get("run").asText() : null,
        a.path("kind").asText("attack"),
        a.path("leaked_pairs").asInt(),
        RunResults.Json.number(a, "ssim"),
        RunResults.Json.number(a, "psnr_db"),
        RunResults.Json.number(a, "pearson"),
        a.get("mse").asDouble(),
        originals,
        reconstructions);
  }

  private static Npy.Array samples(Path folder, JsonNode a, String key) throws IOException {
    if (!a.hasNonNull(key)) {
      return null;
    }
    Path f = folder.resolve(a.get(key).asText());
    if (!Files.isRegularFile(f)) {
      throw new IOException(
          folder.resolve(FILE) + ": names " + key + " file " + f + ", which is not there");
    }
    return Npy.read(f);
  }
}
