package dev.splitlearn.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MachineTest {

  @Test
  void isaLimitsKeepOnlyTheCapsThatAreSetInTheirOrder() {
    Map<String, String> env =
        Map.of(
            "PATH", "/usr/bin",
            "MKL_ENABLE_INSTRUCTIONS", " AVX2 ",
            "ONEDNN_MAX_CPU_ISA", "AVX2",
            "ATEN_CPU_CAPABILITY", "",
            "MKL_CBWR", "COMPATIBLE");
    Map<String, String> limits = Machine.isaLimits(env);
    assertEquals(
        List.of("ONEDNN_MAX_CPU_ISA", "MKL_ENABLE_INSTRUCTIONS", "MKL_CBWR"),
        List.copyOf(limits.keySet()));
    assertEquals("AVX2", limits.get("MKL_ENABLE_INSTRUCTIONS"));
    assertEquals(Map.of(), Machine.isaLimits(Map.of("PATH", "/usr/bin")));
  }

  @Test
  void resultsRecordTheLimits() {
    assertEquals(Machine.isaLimits(), Machine.current().toMap().get("isa_limits"));
  }
}
