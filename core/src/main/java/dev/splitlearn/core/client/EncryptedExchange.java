package dev.splitlearn.core.client;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.splitlearn.core.encrypted.ActivationCipher;
import dev.splitlearn.core.encrypted.GradientExchange;
import dev.splitlearn.core.encrypted.GradientPrivacy;
import dev.splitlearn.core.encrypted.LinearGradients;
import dev.splitlearn.core.kernels.EngineThread;
import dev.splitlearn.core.party.Losses;
import dev.splitlearn.core.party.PartModel;
import dev.splitlearn.core.protocol.ErrorCode;
import dev.splitlearn.core.protocol.FloatTensor;
import dev.splitlearn.core.protocol.Message.Ack;
import dev.splitlearn.core.protocol.Message.EncryptedForward;
import dev.splitlearn.core.protocol.Message.EncryptedOutput;
import dev.splitlearn.core.protocol.Message.Gradient;
import dev.splitlearn.core.protocol.Message.HeSetup;
import dev.splitlearn.core.protocol.Message.LayerGradient;
import dev.splitlearn.core.protocol.Message.NamedTensor;
import dev.splitlearn.core.protocol.ProtocolException;
import dev.splitlearn.core.protocol.Transport;
import java.io.IOException;
import java.util.List;

/**
 * The encrypted cut (U-shaped, the server part one linear layer): activations go out as CKKS
 * ciphertexts under a key only this client holds, the layer's encrypted outputs come back and are
 * decrypted here, the classifier and loss run here, and the layer's gradient goes back as batch
 * sums (or per sample, Split Ways' exchange, for comparison).
 */
final class EncryptedExchange implements CutExchange {
  private final int id;
  private final PartModel classifier;
  private final Transport transport;
  private final ActivationCipher cipher;
  private final int outputs;
  private final GradientPrivacy privacy;
  // the noise is a secret: a server that could predict it (a guessed seed) could subtract it;
  // encrypted
  // runs are not bit-reproducible anyway, since encryption draws from SecureRandom too
  private final java.util.Random noise = new java.security.SecureRandom();
  private boolean setUp;

  EncryptedExchange(
      int id, PartModel classifier, Transport transport, ActivationCipher cipher, int outputs) {
    this.id = id;
    this.classifier = classifier;
    this.transport = transport;
    this.cipher = cipher;
    this.outputs = outputs;
    this.privacy = cipher.privacy();
  }

  @Override
  public Result train(long step, FloatTensor a, int[] labels) throws IOException {
    int batch = (int) a.shape()[0];
    int features = (int) (a.size() / batch);
    if (batch < privacy.minBatch() && cipher.exchange() == GradientExchange.AGGREGATE) {
      throw new ProtocolException(
          ErrorCode.FAILED_PRECONDITION,
          "client "
              + id
              + ": a batch of "
              + batch
              + " is below the minimum of "
              + privacy.minBatch()
              + " (--he-min-batch): its batch-sum gradient would "
              + "give the server single samples' activations and labels");
    }
    EncryptedOutput out = forward(step, true, a);
    float[] z = cipher.decrypt(out.ciphertexts(), batch, outputs);
    privacy.floodLogits(z, noise);
    float[] loss = new float[1];
    float[] dz =
        EngineThread.call(
            () -> {
              try (NDManager scope = classifier.newScope()) {
                NDArray zs = scope.create(z, new Shape(batch, outputs));
                zs.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                  NDArray lossArray = Losses.crossEntropy(classifier.forward(zs, true), labels);
                  gc.backward(lossArray);
                  loss[0] = lossArray.getFloat();
                }
                float[] grad = zs.getGradient().toFloatArray();
                classifier.step();
                return grad;
              }
            });
    List<NamedTensor> layerGradient =
        privacy.clip() > 0
            ? LinearGradients.privateLayerGradients(
                dz,
                a.data(),
                batch,
                outputs,
                features,
                privacy.clip(),
                privacy.noiseMultiplier(),
                noise)
            : LinearGradients.layerGradients(dz, a.data(), batch, outputs, features);
    if (cipher.exchange() == GradientExchange.PER_SAMPLE) {
      FloatTensor dzTensor = new FloatTensor(new long[] {batch, outputs}, dz);
      Gradient g =
          Replies.expect(
              transport.exchange(new LayerGradient(id, step, layerGradient, dzTensor)),
              Gradient.class,
              id,
              step);
      return new Result(new FloatTensor(a.shape(), g.gradient().data()), loss[0]);
    }
    FloatTensor w = LinearGradients.find(out.layer(), LinearGradients.WEIGHT, "EncryptedOutput");
    if (w.shape().length != 2 || w.shape()[0] != outputs || w.shape()[1] != features) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT,
          "EncryptedOutput for client "
              + id
              + ": layer weight of shape "
              + new Shape(w.shape())
              + ", expected ("
              + outputs
              + ", "
              + features
              + ")");
    }
    Replies.expect(
        transport.exchange(new LayerGradient(id, step, layerGradient, null)), Ack.class, id, step);
    float[] da = LinearGradients.inputGradient(dz, w.data(), batch, outputs, features);
    return new Result(new FloatTensor(a.shape(), da), loss[0]);
  }

  @Override
  public float[] predict(long step, FloatTensor a) throws IOException {
    int batch = (int) a.shape()[0];
    EncryptedOutput out = forward(step, false, a);
    float[] z = cipher.decrypt(out.ciphertexts(), batch, outputs);
    privacy.floodLogits(z, noise);
    return EngineThread.call(
        () -> {
          try (NDManager scope = classifier.newScope()) {
            return classifier
                .forward(scope.create(z, new Shape(batch, outputs)), false)
                .toFloatArray();
          }
        });
  }

  private EncryptedOutput forward(long step, boolean training, FloatTensor a) throws IOException {
    if (!setUp) {
      Replies.expect(transport.exchange(new HeSetup(id, cipher.parameters())), Ack.class, id, step);
      setUp = true;
    }
    int batch = (int) a.shape()[0];
    List<byte[]> cts = cipher.encrypt(a.data(), batch, (int) (a.size() / batch));
    return Replies.expect(
        transport.exchange(new EncryptedForward(id, step, training, batch, cts)),
        EncryptedOutput.class,
        id,
        step);
  }

  @Override
  public String heParameters() {
    return cipher.describe(); // the full parameters travel in HeSetup
  }
}
