package dev.splitlearn.core.server;

import ai.djl.ndarray.types.Shape;
import dev.splitlearn.core.encrypted.EncryptedLinear;
import dev.splitlearn.core.encrypted.Encryption;
import dev.splitlearn.core.encrypted.LinearGradients;
import dev.splitlearn.core.kernels.EngineThread;
import dev.splitlearn.core.party.PartModel;
import dev.splitlearn.core.protocol.ErrorCode;
import dev.splitlearn.core.protocol.FloatTensor;
import dev.splitlearn.core.protocol.Message;
import dev.splitlearn.core.protocol.Message.Ack;
import dev.splitlearn.core.protocol.Message.EncryptedForward;
import dev.splitlearn.core.protocol.Message.EncryptedOutput;
import dev.splitlearn.core.protocol.Message.Gradient;
import dev.splitlearn.core.protocol.Message.HeSetup;
import dev.splitlearn.core.protocol.Message.LayerGradient;
import dev.splitlearn.core.protocol.Message.NamedTensor;
import dev.splitlearn.core.protocol.ProtocolException;
import dev.splitlearn.models.SplitPlan;
import java.util.List;

/**
 * The encrypted cut on the server: the cloud model must be one linear layer, evaluated on the
 * client's CKKS ciphertexts under the client's parameters; the layer's gradient, computed by the
 * client (which alone sees the decrypted outputs and the labels), comes back in the clear as batch
 * sums (or per sample, in Split Ways' exchange, for comparison). The server holds no key.
 */
final class EncryptedCut {
  private final SplitPlan plan;
  private final PartModel cloud;
  private final Encryption encryption;
  private final Rounds rounds;

  EncryptedCut(SplitPlan plan, PartModel cloud, Encryption encryption, Rounds rounds) {
    this.plan = plan;
    this.cloud = cloud;
    this.encryption = encryption;
    this.rounds = rounds;
  }

  /** Whether this server serves encrypting clients at all. */
  boolean enabled() {
    return encryption != null;
  }

  Message setup(Session s, HeSetup h) {
    if (!plan.labelsOnClient()) {
      throw new ProtocolException(
          "HeSetup from client "
              + h.clientId()
              + ": encrypted training needs the u-shaped protocol (the client decrypts the outputs)");
    }
    if (!enabled()) {
      throw new ProtocolException(
          "HeSetup from client "
              + h.clientId()
              + ": this server was started without encryption support");
    }
    EngineThread.call(this::linearLayer); // refuses a server part that is not one linear layer
    EncryptedLinear layer = encryption.serverLayer(h.clientId(), h.parameters());
    synchronized (s) {
      s.encrypted = layer;
    }
    return new Ack(h.clientId());
  }

  Message forward(Session s, EncryptedForward f) {
    EncryptedLinear layer;
    synchronized (s) {
      layer = s.encrypted;
    }
    if (layer == null) {
      throw new ProtocolException(
          "EncryptedForward from client " + f.clientId() + ": no HeSetup received");
    }
    if (f.training()) {
      rounds.admit(f.clientId(), f.step());
    }
    List<NamedTensor> params = EngineThread.call(this::linearLayer);
    List<byte[]> out =
        layer.evaluate(f.ciphertexts(), f.batch(), params.get(0).tensor(), params.get(1).tensor());
    if (f.training()) {
      synchronized (s) {
        s.pendingEncryptedStep = f.step();
      }
    }
    return new EncryptedOutput(f.clientId(), f.step(), out, f.training() ? params : List.of());
  }

  /** Applies the client's layer gradient; in the per-sample exchange also returns dA = dZ W. */
  Message layerGradient(Session s, LayerGradient g) {
    synchronized (s) {
      if (s.pendingEncryptedStep < 0 || s.pendingEncryptedStep != g.step()) {
        s.pendingEncryptedStep = -1;
        throw new ProtocolException(
            "LayerGradient from client "
                + g.clientId()
                + " for step "
                + g.step()
                + ": no encrypted forward pass of that step is pending");
      }
      s.pendingEncryptedStep = -1;
    }
    Message reply = EngineThread.call(() -> apply(g));
    synchronized (s) {
      s.steps++;
    }
    rounds.stepDone(s.clientId());
    return reply;
  }

  private Message apply(LayerGradient g) {
    List<NamedTensor> params = linearLayer();
    FloatTensor w = params.get(0).tensor();
    int m = (int) w.shape()[0];
    int d = (int) w.shape()[1];
    Message reply = new Ack(g.clientId());
    FloatTensor dz = g.outputGradient();
    if (dz != null) {
      if (dz.shape().length != 2 || dz.shape()[1] != m || dz.shape()[0] < 1) {
        throw new ProtocolException(
            ErrorCode.INVALID_ARGUMENT,
            "LayerGradient from client "
                + g.clientId()
                + ": output gradient of shape "
                + new Shape(dz.shape())
                + ", expected (batch, "
                + m
                + ")");
      }
      int batch = (int) dz.shape()[0];
      float[] da = LinearGradients.inputGradient(dz.data(), w.data(), batch, m, d);
      reply =
          new Gradient(
              g.clientId(), g.step(), new FloatTensor(new long[] {batch, d}, da), Float.NaN);
    }
    List<NamedTensor> named = cloud.weights();
    String weightName = named.get(named.get(0).tensor().shape().length == 2 ? 0 : 1).name();
    String biasName = named.get(named.get(0).tensor().shape().length == 2 ? 1 : 0).name();
    FloatTensor dw = LinearGradients.find(g.gradients(), LinearGradients.WEIGHT, "LayerGradient");
    FloatTensor db = LinearGradients.find(g.gradients(), LinearGradients.BIAS, "LayerGradient");
    Checks.finite(dw, "LayerGradient from client " + g.clientId());
    Checks.finite(db, "LayerGradient from client " + g.clientId());
    try {
      cloud.step(List.of(new NamedTensor(weightName, dw), new NamedTensor(biasName, db)));
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT,
          "LayerGradient from client " + g.clientId() + ": " + e.getMessage());
    }
    return reply;
  }

  private List<NamedTensor> linearLayer() {
    if (cloud.inputShape().dimension() != 2) {
      throw new ProtocolException(
          "encrypted training needs a server part that is one linear layer on flat "
              + "activations; "
              + cloud.name()
              + " takes "
              + cloud.inputShape());
    }
    return LinearGradients.linearParameters(cloud.weights(), cloud.name());
  }
}
