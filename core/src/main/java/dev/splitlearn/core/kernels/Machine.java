package dev.splitlearn.core.kernels;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Facts about the CPU that decide which kernels run (and so how floats round): model, vendor,
 * family, the widest vector instruction set, cores. Read from {@code /proc/cpuinfo} on Linux.
 *
 * @param cpuModel e.g. {@code AMD EPYC 9R45}
 * @param vendor e.g. {@code AuthenticAMD}
 * @param family CPU family and model in hex, e.g. {@code 0x1a/0x11}
 * @param isa widest vector ISA: {@code AVX-512}, {@code AVX2}, {@code AVX}, {@code SSE4.2} or
 *     {@code unknown}
 * @param cores processors available to the JVM
 */
public record Machine(String cpuModel, String vendor, String family, String isa, int cores) {
  /** Variables that cap the kernel libraries' instruction sets (see {@link #isaLimits()}). */
  static final List<String> ISA_LIMITS =
      List.of(
          "ATEN_CPU_CAPABILITY",
          "ONEDNN_MAX_CPU_ISA",
          "DNNL_MAX_CPU_ISA",
          "MKL_ENABLE_INSTRUCTIONS",
          "MKL_CBWR");

  /** This machine. */
  public static Machine current() {
    Map<String, String> info = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          info.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
        if (line.isBlank() && !info.isEmpty()) {
          break; // the first processor describes them all
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: the JVM's view only
    }
    Set<String> flags = Set.of(info.getOrDefault("flags", "").split("\\s+"));
    String isa =
        flags.contains("avx512f")
            ? "AVX-512"
            : flags.contains("avx2")
                ? "AVX2"
                : flags.contains("avx") ? "AVX" : flags.contains("sse4_2") ? "SSE4.2" : "unknown";
    String family =
        info.containsKey("cpu family")
            ? String.format(
                "0x%x/0x%x", parse(info.get("cpu family")), parse(info.getOrDefault("model", "0")))
            : "unknown";
    return new Machine(
        info.getOrDefault("model name", System.getProperty("os.arch")),
        info.getOrDefault("vendor_id", "unknown"),
        family,
        isa,
        Runtime.getRuntime().availableProcessors());
  }

  private static int parse(String s) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The fields as recorded in {@code results.json}. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cpu", cpuModel);
    m.put("vendor", vendor);
    m.put("family_model", family);
    m.put("isa", isa);
    m.put("cores", cores);
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("java", System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
    m.put("isa_limits", isaLimits());
    m.put("memory", memorySettings());
    // with AVX-512 in isa, the CKKS transforms ran on vectors (speed only: same results)
    m.put("java_vector_module", ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
    return m;
  }

  /**
   * Caps on the instruction sets the kernels may use, where set: libtorch's {@code
   * ATEN_CPU_CAPABILITY}, oneDNN's {@code ONEDNN_MAX_CPU_ISA} (and its old name), MKL's {@code
   * MKL_ENABLE_INSTRUCTIONS} and {@code MKL_CBWR}, and the JVM's {@code -XX:UseAVX} when not left
   * at its default. They change which kernels run, so how floats round: a run with {@code
   * ONEDNN_MAX_CPU_ISA=AVX2} on an AVX-512 machine takes an AVX2 machine's convolutions.
   */
  public static Map<String, String> isaLimits() {
    Map<String, String> m = isaLimits(System.getenv());
    try {
      VMOption avx =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption("UseAVX");
      if (avx.getOrigin() != VMOption.Origin.DEFAULT) {
        m.put("-XX:UseAVX", avx.getValue());
      }
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      // not HotSpot on x86: no such option
    }
    return m;
  }

  /** The variables of {@link #ISA_LIMITS} set in {@code env}, in that order. */
  static Map<String, String> isaLimits(Map<String, String> env) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String name : ISA_LIMITS) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        m.put(name, value.trim());
      }
    }
    return m;
  }

  /**
   * Settings that change speed, not results: glibc's malloc tunables, libtorch's switch for huge
   * pages, and the kernel's transparent-huge-page mode (the launcher sets the first two).
   */
  static Map<String, Object> memorySettings() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("glibc_tunables", System.getenv().getOrDefault("GLIBC_TUNABLES", ""));
    m.put("thp_mem_alloc_enable", System.getenv().getOrDefault("THP_MEM_ALLOC_ENABLE", ""));
    String kernel = "unknown";
    try { // e.g. "always [madvise] never": the bracketed mode is in force
      String modes = Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"));
      int open = modes.indexOf('[');
      int close = modes.indexOf(']', open + 1);
      if (open >= 0 && close > open) {
        kernel = modes.substring(open + 1, close);
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or no transparent huge pages in this kernel
    }
    m.put("kernel_transparent_huge_pages", kernel);
    return m;
  }

  /** Vector-ISA flags present, for the doctor. */
  public static List<String> vectorFlags() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("flags")) {
          return java.util.Arrays.stream(line.substring(line.indexOf(':') + 1).trim().split("\\s+"))
              .filter(
                  f ->
                      f.startsWith("avx")
                          || f.startsWith("amx")
                          || f.equals("fma")
                          || f.equals("f16c"))
              .sorted()
              .toList();
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return List.of();
  }
}
