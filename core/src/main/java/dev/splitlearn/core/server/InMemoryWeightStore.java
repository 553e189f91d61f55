package dev.splitlearn.core.server;

import dev.splitlearn.core.protocol.FloatTensor;
import dev.splitlearn.core.protocol.Message.NamedTensor;
import dev.splitlearn.core.protocol.Message.Weights;
import dev.splitlearn.core.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** Uploads in memory; keeps the two newest rounds (a fetch can trail an upload by one round). */
public final class InMemoryWeightStore implements WeightStore {
  private static final int ROUNDS_KEPT = 2;
  private final TreeMap<Long, List<Weights>> rounds = new TreeMap<>();

  @Override
  public void add(Weights w) {
    List<Weights> uploads = rounds.computeIfAbsent(w.round(), r -> new ArrayList<>());
    if (!uploads.isEmpty() && uploads.get(0).tensors().size() != w.tensors().size()) {
      throw new ProtocolException(
          "Weights from client "
              + w.clientId()
              + ": "
              + w.tensors().size()
              + " tensors, earlier uploads of round "
              + w.round()
              + " had "
              + uploads.get(0).tensors().size());
    }
    uploads.removeIf(
        u -> u.clientId() == w.clientId()); // a repeated upload replaces the earlier one
    uploads.add(w);
    // keep the newest rounds, and the one just added even if older (a rejoined client catching up)
    long keepFrom = rounds.lastKey() - ROUNDS_KEPT + 1;
    rounds.headMap(keepFrom).keySet().removeIf(r -> r != w.round());
  }

  @Override
  public long newest() {
    return rounds.isEmpty() ? -1 : rounds.lastKey();
  }

  @Override
  public int count(long round) {
    List<Weights> uploads = rounds.get(round);
    return uploads == null ? 0 : uploads.size();
  }

  @Override
  public Weights average(long round, int clientId) {
    List<Weights> uploads = new ArrayList<>(rounds.getOrDefault(round, List.of()));
    if (uploads.isEmpty()) {
      throw new ProtocolException(
          "FetchWeights from client "
              + clientId
              + " for round "
              + round
              + ": no weights were uploaded for that round");
    }
    uploads.sort(Comparator.comparingInt(Weights::clientId));
    long total = uploads.stream().mapToLong(Weights::samples).sum();
    if (uploads.size() == 1) {
      return new Weights(clientId, round, total, uploads.get(0).tensors());
    }
    List<NamedTensor> first = uploads.get(0).tensors();
    List<NamedTensor> out = new ArrayList<>(first.size());
    for (int t = 0; t < first.size(); t++) {
      NamedTensor head = first.get(t);
      double[] sum = new double[head.tensor().size()];
      for (Weights w : uploads) {
        NamedTensor nt = w.tensors().get(t);
        if (!nt.name().equals(head.name()) || nt.tensor().size() != sum.length) {
          throw new ProtocolException(
              "Weights from client "
                  + w.clientId()
                  + ": tensor "
                  + nt.name()
                  + " does not match "
                  + head.name()
                  + " of the other uploads");
        }
        double share = w.samples() / (double) Math.max(1, total);
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
    return new Weights(clientId, round, total, out);
  }

  @Override
  public Optional<Weights> latest() {
    if (rounds.isEmpty()) {
      return Optional.empty();
    }
    long round = rounds.lastKey();
    return Optional.of(average(round, -1));
  }

  @Override
  public void restore(Weights average) {
    rounds.clear();
    rounds.computeIfAbsent(average.round(), r -> new ArrayList<>()).add(average);
  }
}
