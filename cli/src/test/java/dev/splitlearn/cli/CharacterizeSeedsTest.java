package dev.splitlearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A point measured once per seed becomes one row of the seeds' means and standard deviations. */
class CharacterizeSeedsTest {
  private static CharacterizeCommand.Row row(double accuracy, double ssim) {
    return new CharacterizeCommand.Row(
        1, 8, "ranked", "0 1", accuracy, ssim, 20, 0.9, 1.26, 23_300, 5_000, "runs/x", 1, 0, 0);
  }

  @Test
  void theRowHoldsTheMeansAndTheSampleStandardDeviations() {
    CharacterizeCommand.Row m =
        CharacterizeCommand.mean(List.of(row(0.90, 0.70), row(0.92, 0.74), row(0.94, 0.72)));
    assertEquals(0.92, m.accuracy(), 1e-12);
    assertEquals(0.72, m.ssim(), 1e-12);
    assertEquals(0.02, m.accuracySd(), 1e-12);
    assertEquals(0.02, m.ssimSd(), 1e-12);
    assertEquals(3, m.seeds());
    assertEquals(1.26, m.clientMflops(), 0); // costs do not depend on the seed
  }

  @Test
  void oneSeedIsItsOwnRowWithNoSpread() {
    CharacterizeCommand.Row m = CharacterizeCommand.mean(List.of(row(0.9, 0.7)));
    assertEquals(0.9, m.accuracy(), 0);
    assertEquals(0, m.accuracySd(), 0);
    assertEquals(1, m.seeds());
  }
}
