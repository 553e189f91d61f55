package dev.splitlearn.core.party;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitlearn.core.kernels.EngineThread;
import dev.splitlearn.core.protocol.FloatTensor;
import dev.splitlearn.core.protocol.Message.NamedTensor;
import dev.splitlearn.models.ChannelSelect;
import dev.splitlearn.models.ModelSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A model trained centrally by {@code splitlearn pretrain} on a public data set, from which a
 * PrivyNet client takes its frozen extractor: a folder holding {@value #WEIGHTS} (every stage's
 * parameters, as {@link PartModel#save} writes them: the checkpoint format) and {@value #INFO}
 * (what it was trained on). Immutable; the weights file's SHA-256 is taken when it is opened.
 *
 * @param weights the weights file
 * @param sha256 its SHA-256, hex
 * @param model the zoo model the weights are of
 * @param sampleShape the shape of one sample it was trained on
 * @param dataset the data set it was trained on
 * @param testAccuracy its accuracy on that data set's test split
 */
public record PretrainedExtractor(
    Path weights,
    String sha256,
    String model,
    long[] sampleShape,
    String dataset,
    double testAccuracy) {
  /** The weights file in a pretrain folder. */
  public static final String WEIGHTS = "model.params";

  /** The description file in a pretrain folder. */
  public static final String INFO = "pretrain.json";

  /**
   * Opens a pretrain folder, or the weights file inside one.
   *
   * @param flag names the option in error messages, e.g. {@code --extractor pretrained:runs/pre}
   * @throws IOException if the folder lacks a file or the description is malformed
   */
  public static PretrainedExtractor open(Path path, String flag) throws IOException {
    Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
    Path weights = dir.resolve(WEIGHTS);
    Path info = dir.resolve(INFO);
    if (!Files.isRegularFile(weights) || !Files.isRegularFile(info)) {
      throw new IOException(
          flag
              + ": expected a folder written by 'splitlearn pretrain' ("
              + WEIGHTS
              + " and "
              + INFO
              + "), "
              + (Files.exists(path) ? "missing in " + dir : "no such file or folder"));
    }
    JsonNode j;
    try {
      j = new ObjectMapper().readTree(info.toFile());
    } catch (IOException e) {
      throw new IOException(flag + ": " + info + " is not JSON (" + e.getMessage() + ")", e);
    }
    if (!j.path("model").isTextual() || !j.path("sample_shape").isArray()) {
      throw new IOException(flag + ": " + info + " names no model and sample_shape");
    }
    long[] shape = new long[j.get("sample_shape").size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = j.get("sample_shape").get(i).asLong();
    }
    return new PretrainedExtractor(
        weights,
        sha256(weights),
        j.get("model").asText(),
        shape,
        j.path("dataset").asText("?"),
        j.path("test_accuracy").asDouble(Double.NaN));
  }

  /** SHA-256 of a file, hex. */
  public static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from this JVM", e);
    }
  }

  /**
   * Checks that these weights fit {@code spec}.
   *
   * @throws IllegalArgumentException naming {@code flag}, the pretrained model and the run's, if
   *     they differ
   */
  public void requireFits(ModelSpec spec, String flag) {
    if (!model.equals(spec.name())) {
      throw new IllegalArgumentException(
          flag
              + " holds weights of "
              + model
              + " (pretrained on "
              + dataset
              + "), this run's --model is "
              + spec.name());
    }
    if (!Arrays.equals(sampleShape, spec.sampleShape().getShape())) {
      throw new IllegalArgumentException(
          flag
              + " was pretrained on samples of shape "
              + Arrays.toString(sampleShape)
              + " ("
              + dataset
              + "), this run's are "
              + spec.sampleShape());
    }
  }

  /**
   * Loads the first {@code stages} stages of these weights into {@code part} (a part that starts at
   * stage 0 of the same model), checking every parameter's shape. Runs on the engine thread.
   *
   * @throws IOException naming the file if it is not weights of that model
   */
  public void loadInto(PartModel part, int stages) throws IOException {
    try (InputStream in = Files.newInputStream(weights)) {
      EngineThread.run(
          () -> {
            try {
              part.loadStages(in, weights.toString(), stages);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /**
   * Loads the first {@code stages} stages into {@code part}, a part of a pruned plan ({@link
   * ModelSpec#prunedExtractor}) whose last stage has only the {@code kept} filters: the weights are
   * read into the unpruned model {@code full}, and every parameter whose first axis is the full
   * filter count where the part's is {@code kept.length} is sliced to those rows, in the order of
   * {@code kept} (the selection's order). Runs the engine work on the engine thread.
   *
   * @throws IOException naming the file if it is not weights of that model
   * @throws IllegalArgumentException if a parameter of the part fits neither way
   */
  public void loadPrunedInto(PartModel part, ModelSpec full, int stages, int[] kept)
      throws IOException {
    List<NamedTensor> from = weightsOfFirst(full, stages);
    List<NamedTensor> to = EngineThread.call(part::weights);
    if (from.size() != to.size()) {
      throw new IllegalArgumentException(
          "a pruned extractor has " + to.size() + " parameters, the model " + from.size());
    }
    List<NamedTensor> sliced = new ArrayList<>();
    for (int i = 0; i < to.size(); i++) {
      sliced.add(
          new NamedTensor(to.get(i).name(), slice(from.get(i), to.get(i).tensor().shape(), kept)));
    }
    EngineThread.run(() -> part.loadWeights(sliced));
  }

  /** The pre-trained parameters of the first {@code stages} stages of {@code spec}, by name. */
  private List<NamedTensor> weightsOfFirst(ModelSpec spec, int stages) throws IOException {
    requireFits(spec, "the pretrained extractor");
    PartModel part = PartModel.create("pretrained", spec, 0, stages, 0, OptimizerSpec.adam(1e-3f));
    try {
      loadInto(part, stages);
      return EngineThread.call(part::weights);
    } finally {
      EngineThread.run(part::close);
    }
  }

  /** {@code t} itself when it has {@code shape}, else its rows {@code kept} (axis 0). */
  private static FloatTensor slice(NamedTensor t, long[] shape, int[] kept) {
    long[] s = t.tensor().shape();
    if (Arrays.equals(s, shape)) {
      return t.tensor();
    }
    long[] expect = s.clone();
    expect[0] = kept.length;
    if (!Arrays.equals(expect, shape)) {
      throw new IllegalArgumentException(
          "parameter "
              + t.name()
              + " of shape "
              + Arrays.toString(s)
              + " cannot be pruned to "
              + Arrays.toString(shape));
    }
    float[] data = t.tensor().data();
    int row = (int) (data.length / s[0]);
    float[] out = new float[kept.length * row];
    for (int r = 0; r < kept.length; r++) {
      System.arraycopy(data, kept[r] * row, out, r * row, row);
    }
    return new FloatTensor(shape, out);
  }

  /**
   * The {@code channels} channels of block {@code layers} that {@link ChannelSelect#RANKED} keeps:
   * by the L1 norm of the filters of the block's last convolution (the last weight of rank 3 or
   * more).
   */
  public int[] rankChannels(ModelSpec spec, int layers, int channels) throws IOException {
    NamedTensor conv = null;
    for (NamedTensor t : weightsOfFirst(spec, layers)) {
      if (t.tensor().shape().length >= 3) {
        conv = t;
      }
    }
    if (conv == null) {
      throw new IllegalArgumentException(
          "--layers " + layers + ": no convolution weights to rank channels by");
    }
    return ChannelSelect.ranked(channels, conv.tensor().data(), conv.tensor().shape());
  }
}
