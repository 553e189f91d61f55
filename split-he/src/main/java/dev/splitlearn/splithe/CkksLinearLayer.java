package dev.splitlearn.splithe;

import dev.splitlearn.core.encrypted.EncryptedLinear;
import dev.splitlearn.core.protocol.ErrorCode;
import dev.splitlearn.core.protocol.FloatTensor;
import dev.splitlearn.core.protocol.ProtocolException;
import dev.splitlearn.he.linalg.BatchLayout;
import dev.splitlearn.he.linalg.BatchedLinearLayer;
import dev.splitlearn.he.rlwe.Ciphertext;
import dev.splitlearn.he.rlwe.Parameters;
import dev.splitlearn.he.rlwe.ParametersLiteral;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's side of the CKKS cut for one client: evaluates {@code z = W a + b} on the client's
 * ciphertexts with the server's plaintext weights. Holds no key. Partial sums are masked so the
 * client learns only each sample's logits. Not thread-safe.
 */
final class CkksLinearLayer implements EncryptedLinear {
  private final Parameters params;
  private final BatchedLinearLayer[] workers;

  private CkksLinearLayer(Parameters params) {
    this.params = params;
    this.workers = new BatchedLinearLayer[Parallel.PARTS];
    for (int i = 0; i < workers.length; i++) {
      workers[i] = new BatchedLinearLayer(params);
    }
  }

  /**
   * Reads a client's parameters and accepts them only if they are the server's own set: a literal
   * is checked before any prime is generated or key state allocated (an arbitrary literal under the
   * security table could cost the server seconds and hundreds of MB per session).
   *
   * @throws ProtocolException if they are malformed or not the server's set
   */
  static CkksLinearLayer fromSetup(
      int clientId, byte[] literal, String setName, ParametersLiteral allowed) {
    try {
      ByteBuffer buf = ByteBuffer.wrap(literal);
      ParametersLiteral lit = ParametersLiteral.readFrom(buf);
      if (buf.hasRemaining()) {
        throw new IOException(buf.remaining() + " trailing bytes");
      }
      if (!lit.equals(allowed)) {
        throw new ProtocolException(
            ErrorCode.ABORTED,
            "HeSetup from client "
                + clientId
                + ": parameters "
                + lit
                + " are not this server's set '"
                + setName
                + "'");
      }
      return new CkksLinearLayer(Parameters.fromLiteral(lit));
    } catch (IOException | IllegalArgumentException e) {
      throw new ProtocolException("HeSetup from client " + clientId + ": " + e.getMessage());
    }
  }

  @Override
  public List<byte[]> evaluate(
      List<byte[]> ciphertexts, int batch, FloatTensor weight, FloatTensor bias) {
    int expected;
    try {
      expected = BatchLayout.of(params.slots(), batch, (int) weight.shape()[1]).ciphertexts();
    } catch (IllegalArgumentException e) {
      expected = -1;
    }
    if (ciphertexts.size() != expected) { // before any ciphertext is parsed or seed-expanded
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT,
          "EncryptedForward: "
              + ciphertexts.size()
              + " ciphertexts for a batch of "
              + batch
              + (expected < 0 ? " (out of range)" : ", expected " + expected));
    }
    List<Ciphertext> cts = new ArrayList<>(ciphertexts.size());
    for (int i = 0; i < ciphertexts.size(); i++) {
      try {
        cts.add(Ciphertext.fromBytes(params, ciphertexts.get(i)));
      } catch (IOException e) {
        throw new ProtocolException("EncryptedForward ciphertext " + i + ": " + e.getMessage());
      }
    }
    int m = (int) weight.shape()[0];
    int d = (int) weight.shape()[1];
    // output ciphertexts (two outputs each) are independent: each core evaluates a range of them
    int outCts = BatchedLinearLayer.outputCiphertexts(m);
    int parts = Math.min(workers.length, outCts);
    int[] bounds = Parallel.bounds(outCts, parts);
    List<List<byte[]>> chunks =
        Parallel.map(
            parts,
            p -> {
              int first = 2 * bounds[p];
              int rows = Math.min(m, 2 * bounds[p + 1]) - first;
              double[][] w = new double[rows][d];
              double[] b = new double[rows];
              for (int r = 0; r < rows; r++) {
                int k = first + r;
                for (int j = 0; j < d; j++) {
                  w[r][j] = weight.data()[k * d + j];
                }
                b[r] = bias.data()[k];
              }
              List<byte[]> bytes = new ArrayList<>(rows);
              try {
                for (Ciphertext ct : workers[p].evaluate(cts, w, b, batch, true)) {
                  bytes.add(ct.toBytes());
                }
              } catch (IllegalArgumentException e) {
                throw new ProtocolException("EncryptedForward: " + e.getMessage());
              }
              return bytes;
            });
    List<byte[]> all = new ArrayList<>(outCts);
    chunks.forEach(all::addAll);
    return all;
  }
}
