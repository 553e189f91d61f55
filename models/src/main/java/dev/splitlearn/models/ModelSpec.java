package dev.splitlearn.models;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Convolution;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A model of the zoo: a sequence of named {@link Stage}s over samples of a fixed shape, with the
 * default cut points of each protocol. Immutable.
 *
 * <p>Initialisation is seeded per stage ({@link #initialize}), so the same seed gives the same
 * weights whether the stages run in one process (central baseline) or are cut between parties.
 */
public final class ModelSpec {
  private final String name;
  private final long[] sampleShape;
  private final int numClasses;
  private final List<Stage> stages;
  private final Map<Protocol, List<String>> defaultCuts;
  private final LocalTopology localTopology;
  private final boolean sharesCloud;
  private final int prunedFrom; // the filters block k had before pruning, 0 when it is not pruned
  private List<Shape> boundaryShapes;

  /** Name of the stage that keeps the chosen channels, after the client's pre-trained blocks. */
  public static final String SELECT_STAGE = "select";

  /**
   * Creates a model spec.
   *
   * @param name zoo name, e.g. {@code mnist-cnn}
   * @param sampleShape shape of one input sample without the batch axis, e.g. {@code {1, 28, 28}}
   * @param numClasses number of output classes
   * @param stages the stages, in order; names must be unique
   * @param defaultCuts the default cut points of each protocol
   */
  public ModelSpec(
      String name,
      long[] sampleShape,
      int numClasses,
      List<Stage> stages,
      Map<Protocol, List<String>> defaultCuts) {
    this(name, sampleShape, numClasses, stages, defaultCuts, false, null, 0);
  }

  /**
   * As above; with {@code sharesCloud}, the model's cloud part is shared by clients whose
   * extractors and classifiers differ (multi-task, {@link Multitask}): the handshake then agrees on
   * the cloud part and the cut shape only, not on the client parts ({@link
   * SplitPlan#serverFingerprint()}).
   */
  public ModelSpec(
      String name,
      long[] sampleShape,
      int numClasses,
      List<Stage> stages,
      Map<Protocol, List<String>> defaultCuts,
      boolean sharesCloud) {
    this(name, sampleShape, numClasses, stages, defaultCuts, sharesCloud, null, 0);
  }

  private ModelSpec(
      String name,
      long[] sampleShape,
      int numClasses,
      List<Stage> stages,
      Map<Protocol, List<String>> defaultCuts,
      boolean sharesCloud,
      LocalTopology localTopology,
      int prunedFrom) {
    this.localTopology = localTopology;
    this.prunedFrom = prunedFrom;
    this.name = name;
    this.sharesCloud = sharesCloud;
    this.sampleShape = sampleShape.clone();
    this.numClasses = numClasses;
    this.stages = List.copyOf(stages);
    this.defaultCuts = Map.copyOf(defaultCuts);
    Set<String> seen = new HashSet<>();
    for (Stage s : stages) {
      if (!seen.add(s.name())) {
        throw new IllegalArgumentException("model " + name + ": duplicate stage name " + s.name());
      }
    }
    defaultCuts.forEach((p, cuts) -> plan(p, cuts));
  }

  /** The zoo name. */
  public String name() {
    return name;
  }

  /** Whether clients of different tasks share this model's cloud part (see the constructor). */
  public boolean sharesCloud() {
    return sharesCloud;
  }

  /** Shape of one input sample (no batch axis). */
  public Shape sampleShape() {
    return new Shape(sampleShape);
  }

  /** Number of output classes. */
  public int numClasses() {
    return numClasses;
  }

  /** The stages in order. */
  public List<Stage> stages() {
    return stages;
  }

  /** PrivyNet's local topology this spec was cut for, or null for an ordinary model. */
  public LocalTopology localTopology() {
    return localTopology;
  }

  /**
   * Output channels of block {@code layers} (the client's last): the filters of the last
   * convolution in stages {@code [0, layers)}, whose output the block passes on channel by channel
   * (possibly flattened). Computed on throw-away blocks; for the block a local topology pruned, the
   * filters it had before (the pre-trained block's).
   *
   * @throws IllegalArgumentException naming {@code --layers} if it is out of range or those stages
   *     have no convolution
   */
  public int blockChannels(int layers) {
    if (prunedFrom > 0 && layers == localTopology.layers()) {
      return prunedFrom;
    }
    if (layers < 1 || layers > stages.size() - 1) {
      throw new IllegalArgumentException(
          "--layers must be in 1.."
              + (stages.size() - 1)
              + " (the blocks of "
              + name
              + ": "
              + cutPoints()
              + ", one at least left for the server), got "
              + layers);
    }
    List<ConvLayer> convs = convolutions(0, layers);
    if (convs.isEmpty()) {
      throw new IllegalArgumentException(
          "--layers "
              + layers
              + ": blocks "
              + cutPoints().subList(0, layers)
              + " of "
              + name
              + " have no convolution, so no channels to select");
    }
    return convs.get(convs.size() - 1).outChannels();
  }

  /**
   * This model cut for PrivyNet: its first {@code t.layers()} stages, then a stage named {@value
   * #SELECT_STAGE} that keeps {@code t.channels()} of their output channels, then the rest, whose
   * first stage is therefore built for c input channels. The default cuts put the client's
   * extractor up to the selection; U-shaped keeps the model's second cut when it falls after the
   * extractor, else cuts after the next stage. The selection's description names k, c and the
   * selection rule (not the indices), so the plan's fingerprint tells topologies apart. When stage
   * k can be pruned ({@link Stage#pruned}) it is built with the c kept filters only, so the client
   * computes and stores only those (its cost falls with c); the selection is then the identity and
   * the pre-trained weights go in sliced to the kept filters ({@link #prunedExtractor}).
   *
   * @throws IllegalArgumentException naming {@code --layers} or {@code --channels} when out of
   *     range
   */
  public ModelSpec withLocalTopology(LocalTopology t) {
    if (localTopology != null) {
      throw new IllegalStateException(name + " already has a local topology " + localTopology);
    }
    int k = t.layers();
    int total = blockChannels(k);
    if (t.channels() > total) {
      throw new IllegalArgumentException(
          "--channels must be in 1.."
              + total
              + " (the output channels of block "
              + k
              + ", "
              + stages.get(k - 1).name()
              + ", of "
              + name
              + "), got "
              + t.channels());
    }
    int[] indices = t.indices();
    new ChannelSelectBlock(total, t.channels(), indices); // validates the indices
    String description =
        "keep "
            + t.channels()
            + " of "
            + stages.get(k - 1).name()
            + "'s "
            + total
            + " channels ("
            + t.select().cliName()
            + "), frozen pre-trained "
            + stages.get(0).name()
            + (k > 1 ? ".." + stages.get(k - 1).name() : "");
    Stage last = stages.get(k - 1);
    int c = t.channels();
    boolean prune = last.pruned() != null;
    List<Stage> out = new ArrayList<>(stages.subList(0, k - 1));
    if (prune) {
      out.add(
          new Stage(
              last.name(),
              last.description() + ", only the " + c + " kept of its " + total + " filters",
              () -> last.pruned().apply(c)));
      out.add(
          new Stage(
              SELECT_STAGE,
              description + ", pruned (only those computed)",
              () -> ChannelSelectBlock.identity(c)));
    } else {
      out.add(last);
      out.add(
          new Stage(SELECT_STAGE, description, () -> new ChannelSelectBlock(total, c, indices)));
    }
    out.addAll(stages.subList(k, stages.size()));
    String second = defaultCuts.get(Protocol.U_SHAPED).get(1);
    if (cutPoints().indexOf(second) < k) {
      second = stages.get(k).name();
    }
    return new ModelSpec(
        name,
        sampleShape,
        numClasses,
        out,
        Map.of(
            Protocol.VANILLA,
            List.of(SELECT_STAGE),
            Protocol.U_SHAPED,
            List.of(SELECT_STAGE, second)),
        sharesCloud,
        t,
        prune ? total : 0);
  }

  /**
   * Whether this spec's extractor is pruned: block k built with the c kept filters only, so the
   * pre-trained weights of that block must be loaded sliced to them (in the selection's order).
   */
  public boolean prunedExtractor() {
    return prunedFrom > 0;
  }

  /** Names of the valid cut points: every stage but the last, and the last too (empty tail). */
  public List<String> cutPoints() {
    return stages.stream().map(Stage::name).collect(Collectors.toList());
  }

  /** The default cut points of a protocol. */
  public List<String> defaultCuts(Protocol protocol) {
    return defaultCuts.get(protocol);
  }

  /** The split plan with the default cuts of {@code protocol}. */
  public SplitPlan plan(Protocol protocol) {
    return plan(protocol, defaultCuts(protocol));
  }

  /**
   * Validates cut points and returns the split plan.
   *
   * @throws IllegalArgumentException if a cut point is unknown, the number of cuts does not match
   *     the protocol, or the cuts are not in increasing order
   */
  public SplitPlan plan(Protocol protocol, List<String> cuts) {
    if (cuts.size() != protocol.cuts()) {
      throw new IllegalArgumentException(
          "protocol "
              + protocol.cliName()
              + " needs "
              + protocol.cuts()
              + " cut point(s), got "
              + cuts.size()
              + " "
              + cuts);
    }
    List<String> names = cutPoints();
    int[] at = new int[cuts.size()];
    for (int i = 0; i < cuts.size(); i++) {
      int idx = names.indexOf(cuts.get(i));
      if (idx < 0) {
        throw new IllegalArgumentException(
            "unknown cut point '" + cuts.get(i) + "' for model " + name + "; valid: " + names);
      }
      at[i] = idx + 1; // the cut falls after the named stage
      if (i > 0 && at[i] <= at[i - 1]) {
        throw new IllegalArgumentException(
            "cut points must be in increasing order with a non-empty server part, got " + cuts);
      }
    }
    if (protocol == Protocol.VANILLA && at[0] == stages.size()) {
      throw new IllegalArgumentException(
          "cut point '" + cuts.get(0) + "' leaves nothing for the server in model " + name);
    }
    int bodyEnd = protocol == Protocol.VANILLA ? stages.size() : at[1];
    return new SplitPlan(this, protocol, List.copyOf(cuts), 0, at[0], bodyEnd);
  }

  /**
   * Builds and initialises the blocks of stages {@code [from, to)}, seeding each stage's
   * initialiser from {@code seed} and its index.
   *
   * @param manager the manager that will own the parameters
   * @param from first stage index, inclusive
   * @param to last stage index, exclusive
   * @param seed the run's weight seed
   * @return the initialised blocks, one per stage
   */
  public List<Block> initialize(NDManager manager, int from, int to, long seed) {
    List<Shape> shapes = boundaryShapes();
    List<Block> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      Block block = stages.get(i).newBlock();
      Engine.getInstance().setRandomSeed((int) (seed * 1_000_003L + i));
      block.initialize(manager, DataType.FLOAT32, shapes.get(i));
      out.add(block);
    }
    return out;
  }

  /**
   * Shapes (batch 1) at each stage boundary: index i is the input of stage i, the last entry the
   * model output. Computed once, on throw-away blocks.
   */
  public synchronized List<Shape> boundaryShapes() {
    if (boundaryShapes == null) {
      List<Shape> shapes = new ArrayList<>();
      Shape shape = new Shape(1).addAll(sampleShape());
      shapes.add(shape);
      try (NDManager scratch = NDManager.newBaseManager()) {
        for (Stage stage : stages) {
          Block block = stage.newBlock();
          block.initialize(scratch, DataType.FLOAT32, shape);
          shape = block.getOutputShapes(new Shape[] {shape})[0];
          shapes.add(shape);
        }
      }
      boundaryShapes = List.copyOf(shapes);
    }
    return boundaryShapes;
  }

  /**
   * The convolutions of stages {@code [from, to)} in order, with the input each one sees (batch 1),
   * for the kernel self-test. Computed on throw-away blocks.
   */
  public List<ConvLayer> convolutions(int from, int to) {
    List<Shape> shapes = boundaryShapes();
    List<ConvLayer> out = new ArrayList<>();
    try (NDManager scratch = NDManager.newBaseManager()) {
      for (int i = from; i < to; i++) {
        Block block = stages.get(i).newBlock();
        block.initialize(scratch, DataType.FLOAT32, shapes.get(i));
        String where = name + "/" + stages.get(i).name();
        BlockWalk.walk(
            List.of(block),
            shapes.get(i),
            (leaf, in) -> {
              if (leaf instanceof Convolution conv) {
                out.add(ConvLayer.of(where, conv, in));
              }
            });
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return name
        + stages.stream()
            .map(s -> s.name() + "=" + s.description())
            .collect(Collectors.joining(" | ", "[", "]"));
  }
}
