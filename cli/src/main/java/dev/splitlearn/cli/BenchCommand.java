package dev.splitlearn.cli;

import dev.splitlearn.core.train.Augmentation;
import dev.splitlearn.core.train.RunReport;
import dev.splitlearn.core.train.SplitTraining;
import dev.splitlearn.core.train.TrainingConfig;
import dev.splitlearn.core.train.TrainingListener;
import dev.splitlearn.core.train.WholeModelTraining;
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
 * {@code splitlearn bench overhead}: trains the same model unsplit and split (one client, in-process
 * transport) for one epoch each, alternating, and prints the ratio of epoch times.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Split overhead: epoch time of the split model over the unsplit one, measured side by side.")
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TrainOptions options;

  @Option(names = "--repeats", description = "Alternating unsplit/split pairs (default: ${DEFAULT-VALUE}).",
      defaultValue = "2")
  int repeats;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    options.clients = 1;
    options.epochs = 1;
    Runner.Setup s = new Runner(options, err).setup();
    TrainingConfig cfg = new TrainingConfig(s.config().schedule(), 1, options.batch, s.config().optimizer(),
        options.seed, 1, null, false, Augmentation.NONE, null);
    List<Double> unsplit = new ArrayList<>();
    List<Double> split = new ArrayList<>();
    for (int r = 0; r < repeats; r++) {
      RunReport u = WholeModelTraining.central(s.spec(), s.train(), s.test(), cfg, TrainingListener.NONE);
      unsplit.add(u.trainSeconds());
      RunReport sp;
      try (SplitTraining t = new SplitTraining(s.plan(), List.of(s.train()), s.test(), cfg, TrainingListener.NONE)) {
        sp = t.run();
      }
      split.add(sp.trainSeconds());
      err.printf("pair %d: unsplit %.2f s (acc %.4f), split %.2f s (acc %.4f), ratio %.3f%n", r + 1,
          u.trainSeconds(), u.evaluation().accuracy(), sp.trainSeconds(), sp.evaluation().accuracy(),
          sp.trainSeconds() / u.trainSeconds());
    }
    double su = unsplit.stream().mapToDouble(Double::doubleValue).sum();
    double ss = split.stream().mapToDouble(Double::doubleValue).sum();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("plan", s.plan().toString());
    r.put("dataset", options.dataset);
    r.put("train_samples", s.train().size());
    r.put("unsplit_epoch_seconds", unsplit);
    r.put("split_epoch_seconds", split);
    r.put("ratio_split_over_unsplit", ss / su);
    Runner.writeAtomically(options.out.resolve("bench-overhead.json"), r);
    spec.commandLine().getOut().printf("split/unsplit epoch time ratio: %.3f (%d pairs, %s)%n", ss / su,
        repeats, s.plan());
    return ExitCode.OK;
  }
}
