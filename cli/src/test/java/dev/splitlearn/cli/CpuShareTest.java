package dev.splitlearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The bench's record of other programs' and the hypervisor's share of the cores. */
class CpuShareTest {
  private static final long SPIN_MILLIS = 1500;

  @Test
  void readsTheMachineLineAndThisProcessTimesEvenWithParenthesesInItsName() {
    CpuShare.Sample s =
        CpuShare.parse(
            "cpu  100 5 20 800 10 1 2 30 7 0\ncpu0 50 2 10 400 5 0 1 15 3 0\nintr 1\n",
            "4242 (java (bench) x) S 1 4242 4242 0 -1 4194560 9 0 0 0 60 15 0 0 20 0 40 0");
    // busy = user + nice + system + irq + softirq (guest is inside user); total adds idle, iowait,
    // steal
    assertEquals(new CpuShare.Sample(968, 128, 30, 75), s);
    assertThrows(IllegalArgumentException.class, () -> CpuShare.parse("intr 1\n", "1 (x) S"));
  }

  @Test
  void sharesAreOfAllCoresTimeAndOthersExcludeThisProcess() {
    CpuShare.Sample a = new CpuShare.Sample(1000, 300, 10, 200);
    CpuShare c = CpuShare.between(a, new CpuShare.Sample(2000, 900, 60, 700));
    assertEquals(0.1, c.others(), 1e-12); // 600 busy ticks, 500 of them this process's
    assertEquals(0.05, c.steal(), 1e-12);
    assertTrue(c.noisy());
    // this process's ticks may run ahead of the machine's by a tick: never a negative share
    assertEquals(0, CpuShare.between(a, new CpuShare.Sample(2000, 400, 10, 302)).others());
    assertFalse(CpuShare.between(a, new CpuShare.Sample(2000, 400, 10, 302)).noisy());
    assertNull(CpuShare.between(null, a));
    assertNull(CpuShare.between(a, a));
  }

  @Test
  void resultsRecordTheLoadSinceTheCommandStarted() throws Exception {
    assumeTrue(CpuShare.sample() != null, "no /proc here");
    CpuShare.markCommandStart();
    Thread.sleep(50); // a few clock ticks, so that the interval is not empty
    Object load = Versions.provenance(new LinkedHashMap<>()).get("machine_load");
    assertTrue(load instanceof Map<?, ?>, "machine_load: " + load);
    Map<?, ?> shares = (Map<?, ?>) load;
    assertEquals(Set.of("other_programs_cpu_share", "steal_cpu_share"), shares.keySet());
    for (Object share : shares.values()) {
      double x = (Double) share;
      assertTrue(x >= 0 && x <= 1, shares.toString());
    }
  }

  @Test
  void anotherProgramSpinningIsCountedAndThisProcessSpinningIsNot() throws Exception {
    assumeTrue(CpuShare.sample() != null, "no /proc here");
    int cores = Runtime.getRuntime().availableProcessors();
    // one core spinning is 1/cores of the machine; half of that is the bar either way
    double halfACore = 0.5 / cores;

    Process spinner = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
    CpuShare other;
    try {
      CpuShare.Sample a = CpuShare.sample();
      Thread.sleep(SPIN_MILLIS);
      other = CpuShare.between(a, CpuShare.sample());
    } finally {
      spinner.destroyForcibly().waitFor();
    }
    assertNotNull(other);
    assertTrue(other.others() > halfACore, "another program's spinning: " + other);

    AtomicBoolean stop = new AtomicBoolean();
    Thread spin =
        new Thread(
            () -> {
              long x = 0;
              while (!stop.get()) {
                x++;
              }
              if (x == 42) {
                System.out.print(""); // keeps the loop from being removed
              }
            });
    CpuShare.Sample a = CpuShare.sample();
    spin.start();
    Thread.sleep(SPIN_MILLIS);
    CpuShare own = CpuShare.between(a, CpuShare.sample());
    stop.set(true);
    spin.join();
    assertTrue(own.others() < halfACore, "this process's own spinning: " + own);
  }
}
