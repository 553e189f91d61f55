package dev.splitlearn.cli;

import ai.djl.engine.Engine;
import dev.splitlearn.core.kernels.OneDnn;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.IVersionProvider;

/** The versions a run depends on, read from the build and the running engine (never hard-coded). */
final class Versions implements IVersionProvider {
  /** splitlearn's version from the jar manifest ({@code dev} when run from classes). */
  static String splitlearn() {
    String v = Versions.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** splitlearn, DJL, engine, oneDNN and Java versions, as recorded in results.json. */
  static Map<String, Object> map() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("splitlearn", splitlearn());
    m.put("djl", Engine.getDjlVersion());
    Engine engine = Engine.getInstance();
    m.put("engine", engine.getEngineName() + " " + engine.getVersion());
    m.put("onednn", OneDnn.libtorch().version());
    m.put("java", System.getProperty("java.version"));
    return m;
  }

  /**
   * Adds what every results file records about the run's software and machine: versions, machine,
   * kernels, how busy the machine was besides this command ({@link CpuShare}, when started from
   * {@link Main#main}), time.
   */
  static Map<String, Object> provenance(Map<String, Object> results) {
    results.put("versions", map());
    results.put("machine", dev.splitlearn.core.kernels.Machine.current().toMap());
    results.put("kernels", dev.splitlearn.core.kernels.KernelGuard.global().status().toMap());
    CpuShare load = CpuShare.sinceCommandStart();
    if (load != null) { // times in these results came from a machine this busy besides this process
      results.put("machine_load", load.toMap());
    }
    results.put("finished", java.time.Instant.now().toString());
    return results;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"splitlearn " + splitlearn()};
  }
}
