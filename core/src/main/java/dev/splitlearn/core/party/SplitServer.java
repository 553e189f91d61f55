package dev.splitlearn.core.party;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.splitlearn.core.protocol.FloatTensor;
import dev.splitlearn.core.protocol.Message;
import dev.splitlearn.core.encrypted.EncryptedLinear;
import dev.splitlearn.core.encrypted.Encryption;
import dev.splitlearn.core.encrypted.LinearGradients;
import dev.splitlearn.core.protocol.Message.Ack;
import dev.splitlearn.core.protocol.Message.EncryptedForward;
import dev.splitlearn.core.protocol.Message.EncryptedOutput;
import dev.splitlearn.core.protocol.Message.HeSetup;
import dev.splitlearn.core.protocol.Message.LayerGradient;
import dev.splitlearn.core.protocol.Message.NamedTensor;
import dev.splitlearn.core.protocol.Message.FetchWeights;
import dev.splitlearn.core.protocol.Message.Forward;
import dev.splitlearn.core.protocol.Message.Gradient;
import dev.splitlearn.core.protocol.Message.ServerOutput;
import dev.splitlearn.core.protocol.Message.Weights;
import dev.splitlearn.core.protocol.ProtocolException;
import dev.splitlearn.core.protocol.ServerEndpoint;
import dev.splitlearn.models.Role;
import dev.splitlearn.models.SplitPlan;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The server: holds the cloud model shared by all clients (and, in vanilla mode, the loss), and
 * relays client-side weights between clients. Keeps, per client, the graph of the one training
 * step in flight until that step's gradient arrives. Requests are handled one at a time.
 */
public final class SplitServer implements ServerEndpoint, AutoCloseable {
  private final SplitPlan plan;
  private final PartModel cloud;
  private final Map<Integer, PendingStep> pending = new HashMap<>();
  private final WeightRelay relay = new WeightRelay();
  private final Encryption encryption;
  private final Map<Integer, EncryptedLinear> encrypted = new HashMap<>();
  private final Map<Integer, Long> pendingEncrypted = new HashMap<>();

  private record PendingStep(long step, NDManager scope, NDArray input, NDArray output) {}

  /** Creates the server's part of {@code plan}, initialised from {@code seed}; plaintext only. */
  public SplitServer(SplitPlan plan, long seed, OptimizerSpec optimizer) {
    this(plan, seed, optimizer, null);
  }

  /**
   * As above, also serving clients that encrypt their activations with {@code encryption} (null:
   * refuse them).
   */
  public SplitServer(SplitPlan plan, long seed, OptimizerSpec optimizer, Encryption encryption) {
    this.plan = plan;
    this.encryption = encryption;
    this.cloud = new PartModel("server/cloud", plan.model(), plan.from(Role.CLOUD), plan.to(Role.CLOUD),
        seed, optimizer);
  }

  /** The cloud model (for checkpoints, accounting and attacks). */
  public PartModel cloud() {
    return cloud;
  }

  @Override
  public synchronized Message handle(Message request) {
    if (request instanceof Forward f) {
      return forward(f);
    } else if (request instanceof Gradient g) {
      return backward(g);
    } else if (request instanceof Weights w) {
      relay.upload(w);
      return new Ack(w.clientId());
    } else if (request instanceof FetchWeights f) {
      return relay.fetch(f);
    } else if (request instanceof HeSetup h) {
      return heSetup(h);
    } else if (request instanceof EncryptedForward f) {
      return encryptedForward(f);
    } else if (request instanceof LayerGradient g) {
      return layerGradient(g);
    }
    throw new ProtocolException("server does not accept " + request.getClass().getSimpleName());
  }

  private Message forward(Forward f) {
    checkShape(f.activations(), "Forward from client " + f.clientId());
    boolean serverLoss = !plan.labelsOnClient();
    if (plan.labelsOnClient() && f.labels().length > 0) {
      throw new ProtocolException("Forward from client " + f.clientId()
          + ": labels must stay on the client in u-shaped mode");
    }
    if (serverLoss && f.training() && f.labels().length == 0) {
      throw new ProtocolException("Forward from client " + f.clientId()
          + ": vanilla training needs the batch labels");
    }
    dropPending(f.clientId());
    NDManager scope = cloud.newScope();
    NDArray x = Tensors.toArray(scope, f.activations());
    if (!f.training()) {
      try (scope) {
        return new ServerOutput(f.clientId(), f.step(), Tensors.toTensor(cloud.forward(x, false)));
      }
    }
    x.setRequiresGradient(true);
    if (serverLoss) {
      try (scope) {
        float loss;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray lossArray = Losses.crossEntropy(cloud.forward(x, true), f.labels());
          gc.backward(lossArray);
          loss = lossArray.getFloat();
        }
        FloatTensor dx = Tensors.toTensor(x.getGradient());
        cloud.step();
        return new Gradient(f.clientId(), f.step(), dx, loss);
      }
    }
    NDArray out;
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      out = cloud.forward(x, true);
    }
    pending.put(f.clientId(), new PendingStep(f.step(), scope, x, out));
    return new ServerOutput(f.clientId(), f.step(), Tensors.toTensor(out));
  }

  private Message backward(Gradient g) {
    PendingStep p = pending.remove(g.clientId());
    if (p == null || p.step() != g.step()) {
      if (p != null) {
        p.scope().close();
      }
      throw new ProtocolException("Gradient from client " + g.clientId() + " for step " + g.step()
          + ": no forward pass of that step is pending");
    }
    try (NDManager scope = p.scope()) {
      if (!p.output().getShape().equals(new Shape(g.gradient().shape()))) {
        throw new ProtocolException("Gradient from client " + g.clientId() + ": shape "
            + new Shape(g.gradient().shape()) + " does not match the output " + p.output().getShape());
      }
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(p.output().mul(Tensors.toArray(scope, g.gradient())).sum());
      }
      FloatTensor dx = Tensors.toTensor(p.input().getGradient());
      cloud.step();
      return new Gradient(g.clientId(), g.step(), dx, Float.NaN);
    }
  }

  private Message heSetup(HeSetup h) {
    if (!plan.labelsOnClient()) {
      throw new ProtocolException("HeSetup from client " + h.clientId()
          + ": encrypted training needs the u-shaped protocol (the client decrypts the outputs)");
    }
    if (encryption == null) {
      throw new ProtocolException("HeSetup from client " + h.clientId()
          + ": this server was started without encryption support");
    }
    linearLayer(); // refuses a server part that is not one linear layer
    encrypted.put(h.clientId(), encryption.serverLayer(h.clientId(), h.parameters()));
    return new Ack(h.clientId());
  }

  private Message encryptedForward(EncryptedForward f) {
    EncryptedLinear layer = encrypted.get(f.clientId());
    if (layer == null) {
      throw new ProtocolException("EncryptedForward from client " + f.clientId() + ": no HeSetup received");
    }
    List<NamedTensor> params = linearLayer();
    List<byte[]> out = layer.evaluate(f.ciphertexts(), f.batch(), params.get(0).tensor(), params.get(1).tensor());
    if (f.training()) {
      pendingEncrypted.put(f.clientId(), f.step());
    }
    return new EncryptedOutput(f.clientId(), f.step(), out, f.training() ? params : List.of());
  }

  /** Applies the client's layer gradient; in the per-sample exchange also returns dA = dZ W. */
  private Message layerGradient(LayerGradient g) {
    Long step = pendingEncrypted.remove(g.clientId());
    if (step == null || step != g.step()) {
      throw new ProtocolException("LayerGradient from client " + g.clientId() + " for step " + g.step()
          + ": no encrypted forward pass of that step is pending");
    }
    List<NamedTensor> params = linearLayer();
    FloatTensor w = params.get(0).tensor();
    int m = (int) w.shape()[0];
    int d = (int) w.shape()[1];
    Message reply = new Ack(g.clientId());
    FloatTensor dz = g.outputGradient();
    if (dz != null) {
      if (dz.shape().length != 2 || dz.shape()[1] != m || dz.shape()[0] < 1) {
        throw new ProtocolException("LayerGradient from client " + g.clientId() + ": output gradient of shape "
            + new Shape(dz.shape()) + ", expected (batch, " + m + ")");
      }
      int batch = (int) dz.shape()[0];
      float[] da = LinearGradients.inputGradient(dz.data(), w.data(), batch, m, d);
      reply = new Gradient(g.clientId(), g.step(), new FloatTensor(new long[] {batch, d}, da), Float.NaN);
    }
    List<NamedTensor> named = cloud.weights();
    String weightName = named.get(named.get(0).tensor().shape().length == 2 ? 0 : 1).name();
    String biasName = named.get(named.get(0).tensor().shape().length == 2 ? 1 : 0).name();
    try {
      cloud.step(List.of(
          new NamedTensor(weightName, LinearGradients.find(g.gradients(), LinearGradients.WEIGHT, "LayerGradient")),
          new NamedTensor(biasName, LinearGradients.find(g.gradients(), LinearGradients.BIAS, "LayerGradient"))));
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("LayerGradient from client " + g.clientId() + ": " + e.getMessage());
    }
    return reply;
  }

  private List<NamedTensor> linearLayer() {
    if (cloud.inputShape().dimension() != 2) {
      throw new ProtocolException("encrypted training needs a server part that is one linear layer on flat "
          + "activations; " + cloud.name() + " takes " + cloud.inputShape());
    }
    return LinearGradients.linearParameters(cloud.weights(), cloud.name());
  }

  private void checkShape(FloatTensor t, String what) {
    Shape expected = cloud.inputShape();
    Shape got = new Shape(t.shape());
    if (got.dimension() != expected.dimension() || got.get(0) < 1
        || !got.slice(1).equals(expected.slice(1))) {
      throw new ProtocolException(what + ": activations of shape " + got
          + " do not fit the cloud model input (batch" + expected.slice(1) + ")");
    }
  }

  private void dropPending(int clientId) {
    PendingStep stale = pending.remove(clientId);
    if (stale != null) {
      stale.scope().close();
    }
  }

  @Override
  public synchronized void close() {
    pending.values().forEach(p -> p.scope().close());
    pending.clear();
    cloud.close();
  }
}
