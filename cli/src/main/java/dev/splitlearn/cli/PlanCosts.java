package dev.splitlearn.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.splitlearn.core.kernels.EngineThread;
import dev.splitlearn.core.protocol.FloatTensor;
import dev.splitlearn.core.protocol.Message;
import dev.splitlearn.core.protocol.MessageCodec;
import dev.splitlearn.data.DataOptions;
import dev.splitlearn.data.DataSets;
import dev.splitlearn.models.ChannelSelect;
import dev.splitlearn.models.ChannelSelectBlock;
import dev.splitlearn.models.Flops;
import dev.splitlearn.models.LocalTopology;
import dev.splitlearn.models.ModelSpec;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Protocol;
import dev.splitlearn.models.Role;
import dev.splitlearn.models.SplitPlan;
import dev.splitlearn.models.planner.Candidate;
import dev.splitlearn.models.planner.StageCost;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The planner's exact costs, from the model's shapes: what a frozen pretrained extractor of k
 * blocks and c channels costs the client (the same FLOP and parameter counts {@code train} reports,
 * the same message sizes the wire carries), and what each stage of a model costs for SliceNet.
 * Engine work (building throw-away blocks) runs on the engine thread.
 */
final class PlanCosts {
  /**
   * Messages of one U-shaped training step: activations up, cloud output down, its gradient up, a
   * reply down.
   */
  static final int MESSAGES_PER_STEP = 4;

  private PlanCosts() {}

  /** The zoo model for a data set's samples. */
  static ModelSpec spec(String dataset, String model, Path dataDir) {
    DataOptions.Builder b = DataOptions.builder();
    if (dataDir != null) {
      b.optDataDir(dataDir);
    }
    int[] sc = DataSets.shapeAndClasses(dataset, b.build());
    long[] shape = new long[sc.length - 1];
    for (int i = 1; i < sc.length; i++) {
      shape[i - 1] = sc[i];
    }
    return ModelZoo.get(model, shape, sc[0]);
  }

  /**
   * The channels of block k, or 0 when the first k stages have no convolution or k is out of range.
   */
  static int blockChannels(ModelSpec spec, int k) {
    try {
      return EngineThread.call(() -> spec.blockChannels(k));
    } catch (IllegalArgumentException e) {
      return 0;
    }
  }

  /**
   * The exact costs of keeping c of block k's channels, for every c in 1..C, U-shaped with the
   * model's default cuts (as {@code characterize} trains): client forward FLOPs and parameters
   * (extractor and classifier), and the encoded size of one training step's four messages for a
   * full batch, per sample. When block k can be pruned ({@link ModelSpec#prunedExtractor}) it holds
   * only the c kept filters, and every FLOP and parameter of it is one filter's times c, so the
   * client's costs are affine in c: built at c = 1 and c = C and interpolated (exact); otherwise
   * they do not depend on c. The classifier sees the cloud's output, whose width is the cloud's
   * own; the tensor at the cut depends on c. (A test checks this against {@link #candidate}, which
   * builds each topology separately.)
   *
   * @param bitsPerSecond the link's bandwidth, both ways
   * @param latencySeconds its one-way delay per message
   */
  static List<Candidate> candidates(
      ModelSpec spec, int k, int batch, double bitsPerSecond, double latencySeconds) {
    int total = EngineThread.call(() -> spec.blockChannels(k));
    Candidate all = candidate(spec, k, total, batch, bitsPerSecond, latencySeconds);
    Candidate one = total == 1 ? all : candidate(spec, k, 1, batch, bitsPerSecond, latencySeconds);
    Shape[] ends =
        EngineThread.call(
            () -> {
              ModelSpec cut =
                  spec.withLocalTopology(new LocalTopology(k, total, ChannelSelect.RANKED, null));
              SplitPlan plan = cut.plan(Protocol.U_SHAPED);
              return new Shape[] {
                spec.boundaryShapes().get(k), cut.boundaryShapes().get(plan.to(Role.CLOUD))
              };
            });
    List<Candidate> out = new ArrayList<>();
    for (int c = 1; c <= total; c++) {
      Shape at = new ChannelSelectBlock(total, c, null).getOutputShapes(new Shape[] {ends[0]})[0];
      double bytes = stepBytes(batch, at, ends[1]) / (double) batch;
      out.add(
          new Candidate(
              k,
              c,
              total,
              affine(one.clientForwardFlops(), all.clientForwardFlops(), c, total),
              affine(one.clientParameterBytes(), all.clientParameterBytes(), c, total),
              bytes,
              seconds(bytes, batch, bitsPerSecond, latencySeconds)));
    }
    return out;
  }

  /** The value at c of the line through (1, atOne) and (total, atTotal). */
  private static long affine(long atOne, long atTotal, int c, int total) {
    return total == 1
        ? atOne
        : atOne + Math.round((atTotal - atOne) * (c - 1) / (double) (total - 1));
  }

  /**
   * The exact costs of one topology, built on its own (the reference for {@link #candidates}).
   *
   * @param bitsPerSecond the link's bandwidth, both ways
   * @param latencySeconds its one-way delay per message
   */
  static Candidate candidate(
      ModelSpec spec, int k, int c, int batch, double bitsPerSecond, double latencySeconds) {
    return EngineThread.call(
        () -> {
          ModelSpec cut =
              spec.withLocalTopology(new LocalTopology(k, c, ChannelSelect.RANKED, null));
          SplitPlan plan = cut.plan(Protocol.U_SHAPED);
          List<Shape> shapes = cut.boundaryShapes();
          long flops = 0;
          long parameters = 0;
          try (NDManager scratch = NDManager.newBaseManager()) {
            for (Role role : new Role[] {Role.EXTRACTOR, Role.CLASSIFIER}) {
              int from = plan.from(role);
              int to = plan.to(role);
              if (from < to) {
                List<Block> blocks = cut.initialize(scratch, from, to, 1);
                flops += Flops.forwardPerSample(blocks, shapes.get(from));
                parameters += Flops.parameterCount(blocks);
              }
            }
          }
          double bytes =
              stepBytes(batch, shapes.get(plan.to(Role.EXTRACTOR)), shapes.get(plan.to(Role.CLOUD)))
                  / (double) batch;
          return new Candidate(
              k,
              c,
              spec.blockChannels(k),
              flops,
              4 * parameters,
              bytes,
              seconds(bytes, batch, bitsPerSecond, latencySeconds));
        });
  }

  /**
   * The four messages of a U-shaped step with a frozen extractor, encoded: activations, output, its
   * gradient, none.
   */
  private static long stepBytes(int batch, Shape activations, Shape output) {
    return MessageCodec.binarySize(new Message.Forward(0, 0, true, zeros(batch, activations), null))
        + MessageCodec.binarySize(new Message.ServerOutput(0, 0, zeros(batch, output)))
        + MessageCodec.binarySize(new Message.Gradient(0, 0, zeros(batch, output), Float.NaN))
        + MessageCodec.binarySize(
            new Message.Gradient(0, 0, new FloatTensor(new long[] {0}, new float[0]), Float.NaN));
  }

  /**
   * Transfer time per sample: the bytes at the bandwidth, and each message's latency shared by the
   * batch.
   */
  private static double seconds(
      double bytesPerSample, int batch, double bitsPerSecond, double latencySeconds) {
    return bytesPerSample * 8 / bitsPerSecond + MESSAGES_PER_STEP * latencySeconds / batch;
  }

  /**
   * A batch of zeros of a boundary's shape (batch 1 there): the wire size depends on the shape
   * only.
   */
  private static FloatTensor zeros(int batch, Shape one) {
    long[] shape = one.getShape().clone();
    shape[0] = batch;
    return new FloatTensor(shape, new float[Math.toIntExact(batch * one.size())]);
  }

  /** Each stage's forward FLOPs, parameters and float32 output bytes per sample, for SliceNet. */
  static List<StageCost> stages(ModelSpec spec) {
    return EngineThread.call(
        () -> {
          List<Shape> shapes = spec.boundaryShapes();
          List<StageCost> out = new ArrayList<>();
          try (NDManager scratch = NDManager.newBaseManager()) {
            for (int i = 0; i < spec.stages().size(); i++) {
              List<Block> block = spec.initialize(scratch, i, i + 1, 1);
              out.add(
                  new StageCost(
                      spec.stages().get(i).name(),
                      Flops.forwardPerSample(block, shapes.get(i)),
                      Flops.parameterCount(block),
                      4 * shapes.get(i + 1).size()));
            }
          }
          return out;
        });
  }

  /** One input sample as float32. */
  static long inputBytes(ModelSpec spec) {
    return 4 * spec.sampleShape().size();
  }
}
