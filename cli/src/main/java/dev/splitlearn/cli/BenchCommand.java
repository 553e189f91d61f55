package dev.splitlearn.cli;

import dev.splitlearn.core.kernels.KernelGuard;
import dev.splitlearn.core.kernels.Machine;
import dev.splitlearn.core.train.Augmentation;
import dev.splitlearn.core.train.EpochStats;
import dev.splitlearn.core.train.RunReport;
import dev.splitlearn.core.train.SplitTraining;
import dev.splitlearn.core.train.TrainingConfig;
import dev.splitlearn.core.train.TrainingListener;
import dev.splitlearn.core.train.WholeModelTraining;
import dev.splitlearn.splithe.CkksEncryption;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code splitlearn bench}: epoch times of two variants of the same run, one epoch each, alternating
 * in one process so that both see the same machine load. Without {@code --he}: the unsplit model
 * against the split one (split overhead). With {@code --he ckks}: the plaintext split against the
 * encrypted split (cost of encryption), with each epoch's traffic.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Epoch-time ratio measured side by side: split over unsplit, or with --he ckks encrypted over "
        + "plaintext split.")
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TrainOptions options;

  @Option(names = "--repeats", description = "Alternating pairs of epochs (default: ${DEFAULT-VALUE}).",
      defaultValue = "2")
  int repeats;

  private record Epoch(double seconds, double accuracy, long bytesUp, long bytesDown) {
    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("seconds", seconds);
      m.put("test_accuracy", accuracy);
      m.put("bytes_client_to_server", bytesUp);
      m.put("bytes_server_to_client", bytesDown);
      return m;
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    CkksEncryption he = options.encryption();
    options.clients = 1;
    options.epochs = 1;
    Runner.Setup s = new Runner(options, err).setup();
    String baseName = he == null ? "unsplit" : "plaintext-split";
    String variantName = he == null ? "split" : "encrypted-split";
    List<Epoch> base = new ArrayList<>();
    List<Epoch> variant = new ArrayList<>();
    for (int r = 0; r < repeats; r++) {
      base.add(he == null ? unsplit(s) : split(s, null));
      variant.add(split(s, he));
      Epoch b = base.get(r);
      Epoch v = variant.get(r);
      err.printf("pair %d: %s %.2f s (acc %.4f, %.1f MB), %s %.2f s (acc %.4f, %.1f MB), ratio %.3f%n", r + 1,
          baseName, b.seconds(), b.accuracy(), (b.bytesUp() + b.bytesDown()) / 1e6, variantName, v.seconds(),
          v.accuracy(), (v.bytesUp() + v.bytesDown()) / 1e6, v.seconds() / b.seconds());
    }
    double sb = base.stream().mapToDouble(Epoch::seconds).sum();
    double sv = variant.stream().mapToDouble(Epoch::seconds).sum();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("plan", s.plan().toString());
    r.put("dataset", options.dataset);
    r.put("train_samples", s.train().size());
    r.put("batch", options.batch);
    if (he != null) {
      r.put("he", Map.of("parameters", he.parameterSet(), "gradients", he.exchange().toString()));
    }
    r.put(baseName, base.stream().map(Epoch::json).toList());
    r.put(variantName, variant.stream().map(Epoch::json).toList());
    r.put("ratio", sv / sb);
    r.put("versions", Versions.map());
    r.put("machine", Machine.current().toMap());
    r.put("kernels", KernelGuard.global().status().toMap());
    String file = he == null ? "bench-overhead.json" : "bench-he.json";
    Runner.writeAtomically(options.out.resolve(file), r);
    spec.commandLine().getOut().printf("%s/%s epoch time ratio: %.3f (%d pairs, %s)%n", variantName, baseName,
        sv / sb, repeats, s.plan());
    return ExitCode.OK;
  }

  private TrainingConfig config(Runner.Setup s, CkksEncryption he) {
    return new TrainingConfig(s.config().schedule(), 1, options.batch, s.config().optimizer(), options.seed, 1,
        null, false, Augmentation.NONE, he);
  }

  private Epoch unsplit(Runner.Setup s) throws Exception {
    RunReport u = WholeModelTraining.central(s.spec(), s.train(), s.test(), config(s, null), TrainingListener.NONE);
    return new Epoch(u.trainSeconds(), u.evaluation().accuracy(), 0, 0);
  }

  private Epoch split(Runner.Setup s, CkksEncryption he) throws Exception {
    try (SplitTraining t = new SplitTraining(s.plan(), List.of(s.train()), s.test(), config(s, he),
        TrainingListener.NONE)) {
      RunReport r = t.run();
      EpochStats e = r.epochs().get(0);
      return new Epoch(r.trainSeconds(), r.evaluation().accuracy(), e.trainBytesUp(), e.trainBytesDown());
    }
  }
}
