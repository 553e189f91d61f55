package dev.splitlearn.core.party;

import dev.splitlearn.core.protocol.FloatTensor;
import dev.splitlearn.core.protocol.Message.FetchWeights;
import dev.splitlearn.core.protocol.Message.NamedTensor;
import dev.splitlearn.core.protocol.Message.Weights;
import dev.splitlearn.core.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.List;

/**
 * Passes client-side weights between clients through the server: the answer to a fetch for round
 * r is the sample-weighted average of the uploads of round r. With one upload per round
 * (sequential schedule) that is the previous client's weights; with all clients uploading
 * (parallel schedule) it is FedAvg. Only the latest round is kept.
 */
final class WeightRelay {
  private long round = -1;
  private final List<Weights> uploads = new ArrayList<>();

  void upload(Weights w) {
    if (w.round() != round) {
      uploads.clear();
      round = w.round();
    }
    if (!uploads.isEmpty() && uploads.get(0).tensors().size() != w.tensors().size()) {
      throw new ProtocolException("Weights from client " + w.clientId() + ": " + w.tensors().size()
          + " tensors, earlier uploads of round " + round + " had " + uploads.get(0).tensors().size());
    }
    uploads.add(w);
  }

  Weights fetch(FetchWeights f) {
    if (f.round() != round || uploads.isEmpty()) {
      throw new ProtocolException("FetchWeights from client " + f.clientId() + " for round " + f.round()
          + ": no weights were uploaded for that round");
    }
    return new Weights(f.clientId(), round, totalSamples(), average());
  }

  private long totalSamples() {
    return uploads.stream().mapToLong(Weights::samples).sum();
  }

  private List<NamedTensor> average() {
    if (uploads.size() == 1) {
      return uploads.get(0).tensors();
    }
    double total = Math.max(1, totalSamples());
    List<NamedTensor> first = uploads.get(0).tensors();
    List<NamedTensor> out = new ArrayList<>(first.size());
    for (int t = 0; t < first.size(); t++) {
      NamedTensor head = first.get(t);
      double[] sum = new double[head.tensor().size()];
      for (Weights w : uploads) {
        NamedTensor nt = w.tensors().get(t);
        if (!nt.name().equals(head.name()) || nt.tensor().size() != sum.length) {
          throw new ProtocolException("Weights from client " + w.clientId() + ": tensor " + nt.name()
              + " does not match " + head.name() + " of the other uploads");
        }
        double share = w.samples() / total;
        float[] data = nt.tensor().data();
        for (int i = 0; i < sum.length; i++) {
          sum[i] += share * data[i];
        }
      }
      float[] avg = new float[sum.length];
      for (int i = 0; i < avg.length; i++) {
        avg[i] = (float) sum[i];
      }
      out.add(new NamedTensor(head.name(), new FloatTensor(head.tensor().shape(), avg)));
    }
    return out;
  }
}
