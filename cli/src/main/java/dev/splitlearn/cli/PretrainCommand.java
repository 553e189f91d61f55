package dev.splitlearn.cli;

import dev.splitlearn.core.party.PretrainedExtractor;
import dev.splitlearn.core.train.RunReport;
import dev.splitlearn.core.train.WholeModelTraining;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code splitlearn pretrain}: PrivyNet's public model. Trains the whole model centrally (the same
 * unsplit training as {@code --baseline central}) and writes OUT/{@value
 * PretrainedExtractor#WEIGHTS} (the checkpoint format) and OUT/{@value PretrainedExtractor#INFO},
 * each atomically, the description last. A client then takes its frozen extractor from it with
 * {@code --extractor pretrained:OUT}. Pretrain on a public data set that is not the private task's
 * (Fashion-MNIST for MNIST and back).
 */
@Command(
    name = "pretrain",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Train a whole model centrally on a (public) data set and save it for --extractor pretrained:OUT.")
final class PretrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TrainOptions options;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (!options.extractor.equals("trained")
        || options.layers != null
        || options.channels != null) {
      throw new IllegalArgumentException(
          "pretrain trains the whole model: --extractor, --layers and --channels "
              + "belong to the split runs that use it");
    }
    if (options.resume) {
      throw new IllegalArgumentException("pretrain cannot --resume: run it again");
    }
    options.clients = 1; // the whole model on all the data: no partitions
    Runner.Setup s = new Runner(options, err).setup();
    err.printf(
        "splitlearn pretrain: %s on %s (%d train, %d test), %d epochs, batch %d%n",
        s.spec().name(),
        options.dataset,
        s.train().size(),
        s.test().size(),
        options.epochs,
        options.batch);
    Files.createDirectories(options.out);
    Path weights = options.out.resolve(PretrainedExtractor.WEIGHTS);
    ProgressBar bar =
        new ProgressBar(err, !options.noProgress && System.console() != null, options.epochs);
    RunReport report =
        WholeModelTraining.central(s.spec(), s.train(), s.test(), s.config(), bar, weights);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("dataset", options.dataset);
    if (options.dataset.equals("mitbih")) {
      // which records: intra-patient beats or DS1 (inter-patient)
      r.put("mitbih_split", options.mitbihSplit);
    }
    r.put("model", s.spec().name());
    r.put("sample_shape", s.spec().sampleShape().getShape());
    r.put("classes", s.spec().numClasses());
    r.put("stages", s.spec().cutPoints());
    r.put("test_accuracy", report.evaluation().accuracy());
    r.put("epochs", options.epochs);
    r.put("batch", options.batch);
    r.put("optimizer", s.config().optimizer());
    r.put("seed", options.seed);
    r.put("train_samples", s.train().size());
    r.put("test_samples", s.test().size());
    r.put("train_sha256", s.train().sha256());
    r.put("train_seconds", report.trainSeconds());
    r.put("per_epoch", report.epochs());
    r.put("weights", PretrainedExtractor.WEIGHTS);
    r.put("weights_sha256", PretrainedExtractor.sha256(weights));
    Versions.provenance(r);
    Path info = options.out.resolve(PretrainedExtractor.INFO);
    Runner.writeAtomically(info, r);
    err.printf(
        "splitlearn pretrain: test accuracy %.4f after %d epochs -> %s%n",
        report.evaluation().accuracy(), options.epochs, options.out);
    return ExitCode.OK;
  }
}
