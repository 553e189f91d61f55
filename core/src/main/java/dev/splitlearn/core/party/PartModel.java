package dev.splitlearn.core.party;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import dev.splitlearn.core.kernels.EngineThread;
import dev.splitlearn.core.kernels.KernelGuard;
import dev.splitlearn.core.protocol.Message.NamedTensor;
import dev.splitlearn.models.Flops;
import dev.splitlearn.models.ModelSpec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The stages of a model that one party holds, with that party's own optimizer. Parameters live in
 * this part's manager; everything computed per batch lives in the caller's per-step manager. An
 * empty part (no stages) is the identity. Not thread-safe.
 */
public final class PartModel implements AutoCloseable {
  private final String name;
  private final NDManager manager;
  private final SequentialBlock block;
  private final ParameterStore parameterStore;
  private Optimizer optimizer;
  private final Shape inputShape;
  private final long flopsPerSample;
  private final long parameterCount;
  private boolean frozen;

  /**
   * Builds and initialises stages {@code [from, to)} of {@code spec}.
   *
   * @param name used in error messages and checkpoint files, e.g. {@code client-0/extractor}
   * @param seed weight seed of the run (the same for every party, so parts match the unsplit model)
   */
  public PartModel(String name, ModelSpec spec, int from, int to, long seed, OptimizerSpec opt) {
    this.name = name;
    if (!EngineThread
        .isEngineThread()) { // the engine thread must not wait for the guard: see create()
      KernelGuard.global()
          .verify(spec.convolutions(from, to)); // right answers on this CPU before training
    }
    this.manager = NDManager.newBaseManager();
    this.block = new SequentialBlock();
    List<Block> stages = spec.initialize(manager, from, to, seed);
    stages.forEach(block::add);
    this.inputShape = spec.boundaryShapes().get(from);
    this.parameterStore = new ParameterStore(manager, false);
    this.optimizer = opt.build();
    this.flopsPerSample = Flops.forwardPerSample(stages, inputShape);
    this.parameterCount = Flops.parameterCount(stages);
  }

  /**
   * Checks the part's convolutions on this CPU (the kernel self-test), then builds it on the engine
   * thread. The check happens first, on the caller's thread, because the guard itself runs engine
   * work and the engine thread must never wait for it.
   */
  public static PartModel create(
      String name, ModelSpec spec, int from, int to, long seed, OptimizerSpec opt) {
    // shape inference initialises throw-away blocks from the engine's one random generator: on the
    // engine
    // thread, so that it never runs between another part's seeding and its initialisation
    KernelGuard.global().verify(EngineThread.call(() -> spec.convolutions(from, to)));
    return EngineThread.call(() -> new PartModel(name, spec, from, to, seed, opt));
  }

  /**
   * Replaces the optimizer (before the first step: e.g. once the total number of steps is known).
   */
  public void useOptimizer(OptimizerSpec spec) {
    this.optimizer = spec.build();
  }

  /** The part's name. */
  public String name() {
    return name;
  }

  /** Whether this part has no stages (identity). */
  public boolean isEmpty() {
    return block.getChildren().isEmpty();
  }

  /** Input shape with batch 1. */
  public Shape inputShape() {
    return inputShape;
  }

  /** Forward FLOPs per sample (convolution and linear layers). */
  public long flopsPerSample() {
    return flopsPerSample;
  }

  /** Number of stored parameters. */
  public long parameterCount() {
    return parameterCount;
  }

  /** The underlying block (for tests and attacks). */
  public Block block() {
    return block;
  }

  /**
   * Runs the part. Record a graph by calling inside an open gradient collector.
   *
   * @param x input batch; the output is attached to {@code x}'s manager
   * @param training whether normalisation layers use batch statistics and update their averages
   */
  public NDArray forward(NDArray x, boolean training) {
    if (isEmpty()) {
      return x;
    }
    return block.forward(parameterStore, new NDList(x), training).singletonOrThrow();
  }

  /**
   * Native arrays alive in this part's manager and its open scopes: parameters, optimizer state and
   * whatever a step failed to release. Constant from step to step when scoping is right.
   */
  public int liveArrays() {
    return manager.getManagedArrays().size();
  }

  /** A per-step memory scope: create each batch's arrays in it and close it after the step. */
  public NDManager newScope() {
    return manager.newSubManager();
  }

  /** Applies one optimizer update with the accumulated gradients, which the update zeroes. */
  public void step() {
    if (frozen) {
      throw new IllegalStateException(name + " is frozen: it takes no optimizer step");
    }
    for (Pair<String, Parameter> p : block.getParameters()) {
      Parameter param = p.getValue();
      if (param.requiresGradient()) {
        NDArray weight = param.getArray();
        try (NDArray grad = weight.getGradient()) {
          optimizer.update(p.getKey(), weight, grad);
        }
      }
    }
  }

  /**
   * Applies one optimizer update with gradients computed elsewhere (the encrypted protocol, where
   * the client computes the server layer's gradient), by parameter name.
   *
   * @throws IllegalArgumentException if a name is unknown or a shape differs
   */
  public void step(List<NamedTensor> gradients) {
    var params = block.getParameters();
    try (NDManager scope = manager.newSubManager()) {
      for (NamedTensor g : gradients) {
        Parameter param = params.get(g.name());
        if (param == null) {
          throw new IllegalArgumentException(name + ": unknown parameter " + g.name());
        }
        NDArray weight = param.getArray();
        if (!weight.getShape().equals(new Shape(g.tensor().shape()))) {
          throw new IllegalArgumentException(
              name
                  + ": gradient of "
                  + g.name()
                  + " has shape "
                  + new Shape(g.tensor().shape())
                  + ", the parameter "
                  + weight.getShape());
        }
        optimizer.update(g.name(), weight, Tensors.toArray(scope, g.tensor()));
      }
    }
  }

  /** Copies of the current gradients, by parameter name (for tests: call before {@link #step}). */
  public List<NamedTensor> gradients() {
    List<NamedTensor> out = new ArrayList<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (p.getValue().requiresGradient()) {
        try (NDArray grad = p.getValue().getArray().getGradient()) {
          out.add(new NamedTensor(p.getKey(), Tensors.toTensor(grad)));
        }
      }
    }
    return out;
  }

  /** Copies of all parameters (weights and normalisation statistics), by name. */
  public List<NamedTensor> weights() {
    List<NamedTensor> out = new ArrayList<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      out.add(new NamedTensor(p.getKey(), Tensors.toTensor(p.getValue().getArray())));
    }
    return out;
  }

  /**
   * Overwrites all parameters with {@code weights}.
   *
   * @throws IllegalArgumentException if a name is missing or a shape differs
   */
  public void loadWeights(List<NamedTensor> weights) {
    var params = block.getParameters();
    if (weights.size() != params.size()) {
      throw new IllegalArgumentException(
          name + ": expected " + params.size() + " weight tensors, got " + weights.size());
    }
    for (NamedTensor t : weights) {
      Parameter param = params.get(t.name());
      if (param == null) {
        throw new IllegalArgumentException(name + ": unknown parameter " + t.name());
      }
      NDArray array = param.getArray();
      if (!array.getShape().equals(new Shape(t.tensor().shape()))) {
        throw new IllegalArgumentException(
            name
                + ": parameter "
                + t.name()
                + " has shape "
                + array.getShape()
                + ", got "
                + new Shape(t.tensor().shape()));
      }
      array.set(t.tensor().data());
    }
  }

  /** Writes the parameters to {@code file} atomically (temporary file, then rename). */
  public void save(Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream os = Files.newOutputStream(tmp)) {
      save(os);
    }
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Writes the parameters to {@code os} (DJL's parameter format, stage after stage). */
  public void save(OutputStream os) throws IOException {
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os));
    for (Block child : block.getChildren().values()) {
      child.saveParameters(out); // the container itself was never initialised, its stages were
    }
    out.flush();
  }

  /** Writes the parameters to {@code name} in {@code store}, atomically, on the engine thread. */
  public void saveTo(CheckpointStore store, String name) throws IOException {
    onEngine(() -> store.write(name, this::save));
  }

  /**
   * Reads the parameters from {@code name} in {@code store}, on the engine thread.
   *
   * @throws IOException if the checkpoint is missing or not one of this part
   */
  public void loadFrom(CheckpointStore store, String name) throws IOException {
    try (InputStream in =
        store
            .read(name)
            .orElseThrow(
                () ->
                    new IOException(store.describe() + "/" + name + ": checkpoint file missing"))) {
      onEngine(() -> load(in, store.describe() + "/" + name));
    }
  }

  private interface IoWork {
    void run() throws IOException;
  }

  private static void onEngine(IoWork work) throws IOException {
    try {
      EngineThread.run(
          () -> {
            try {
              work.run();
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /**
   * Reads the parameters of this part's first {@code stages} stages from the start of a file
   * written by {@link #save} for a part that begins with the same stages (e.g. the whole model),
   * and checks that every parameter kept its shape (DJL's reader would silently take another
   * model's).
   *
   * @param source names the stream in the error message
   * @throws IOException if the stream is not such a file or a shape differs (the error names the
   *     parameter)
   */
  public void loadStages(InputStream is, String source, int stages) throws IOException {
    List<Block> children = new ArrayList<>(block.getChildren().values());
    if (stages < 0 || stages > children.size()) {
      throw new IllegalArgumentException(
          name + " has " + children.size() + " stages, asked to load " + stages);
    }
    DataInputStream in = new DataInputStream(new BufferedInputStream(is));
    for (int i = 0; i < stages; i++) {
      Block child = children.get(i);
      List<Shape> before = new ArrayList<>();
      child.getParameters().values().forEach(p -> before.add(p.getArray().getShape()));
      try {
        child.loadParameters(manager, in);
      } catch (ai.djl.MalformedModelException | RuntimeException | java.io.EOFException e) {
        throw new IOException(
            source
                + ": not weights of "
                + name
                + "'s stage "
                + (i + 1)
                + " ("
                + e.getMessage()
                + ")",
            e);
      }
      int j = 0;
      for (Pair<String, Parameter> p : child.getParameters()) {
        Shape now = p.getValue().getArray().getShape();
        if (!now.equals(before.get(j))) {
          throw new IOException(
              source
                  + ": parameter "
                  + p.getKey()
                  + " of stage "
                  + (i + 1)
                  + " has shape "
                  + now
                  + ", "
                  + name
                  + " needs "
                  + before.get(j));
        }
        j++;
      }
    }
  }

  /**
   * Freezes every parameter: no gradient is recorded for them and {@link #step} refuses to run, so
   * the optimizer never builds state for this part (PrivyNet's frozen pre-trained extractor).
   */
  public void freeze() {
    block.freezeParameters(true);
    frozen = true;
  }

  /** Whether {@link #freeze} was called. */
  public boolean frozen() {
    return frozen;
  }

  /** Reads parameters written by {@link #save}. */
  public void load(Path file) throws IOException {
    try (InputStream is = Files.newInputStream(file)) {
      load(is, file.toString());
    }
  }

  /**
   * Reads parameters written by {@link #save(OutputStream)}.
   *
   * @param source names the stream in the error message
   */
  public void load(InputStream is, String source) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(is));
    try {
      for (Block child : block.getChildren().values()) {
        child.loadParameters(manager, in);
      }
    } catch (ai.djl.MalformedModelException | RuntimeException e) {
      throw new IOException(
          source + ": not a checkpoint of " + name + " (" + e.getMessage() + ")", e);
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
