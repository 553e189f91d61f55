package dev.splitlearn.crowd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrowdConfigTest {
  @TempDir Path dir;

  private CrowdConfig read(String yaml) throws IOException {
    Path f = dir.resolve("crowd.yaml");
    Files.writeString(f, yaml);
    return CrowdConfig.read(f, Map.of());
  }

  private String error(String yaml) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(yaml));
    assertTrue(e.getMessage().startsWith(dir.resolve("crowd.yaml") + ": "), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e.getMessage();
  }

  @Test
  void readsEveryKeyAndDistribution() throws IOException {
    CrowdConfig c =
        read(
            """
        dataset: fashion-mnist
        model: mnist-cnn
        cut: conv2
        devices: 100
        samples-per-device: 30
        partition: label-skew
        classes-per-device: 3
        rounds: 7
        devices-per-round: 10
        local-epochs: 2
        batch: 10
        lr: 0.1
        eval-every: 2
        seed: 9
        server-gflops: 50
        device:
          gflops: {distribution: lognormal, median: 3, sigma: 0.5}
          uplink-mbps: 2
          downlink-mbps: {distribution: uniform, min: 5, max: 10}
          latency-ms: {distribution: constant, value: 40}
          dropout: {distribution: uniform, min: 0, max: 0.3}
        """);
    assertEquals("conv2", c.cut());
    assertEquals(CrowdConfig.Partition.LABEL_SKEW, c.partition());
    assertEquals(5e10, c.serverFlops());
    assertEquals(new Distribution.LogNormal(3, 0.5), c.device().gflops());
    assertEquals(new Distribution.Constant(2), c.device().uplinkMbps());
    assertEquals(new Distribution.Uniform(0, 0.3), c.device().dropout());
    assertEquals(9, c.seed());
    CrowdConfig defaults = read("{}");
    assertEquals(1000, defaults.devices());
    assertEquals(60, defaults.samplesPerDevice());
    assertEquals(CrowdConfig.KEYS.keySet(), defaults.describe().keySet());
  }

  @Test
  void namesTheKeyAtFault() {
    assertTrue(error("devcies: 3").contains("'devcies' is unknown"));
    assertTrue(error("devices: 0").contains("'devices' must be an integer >= 1"));
    assertTrue(error("devices: many").contains("'devices' must be an integer"));
    assertTrue(
        error("devices: 10\ndevices-per-round: 11")
            .contains("'devices-per-round' must be <= devices"));
    assertTrue(error("partition: skewed").contains("'partition' must be iid or label-skew"));
    assertTrue(
        error("partition: label-skew\nclasses-per-device: 7")
            .contains("'classes-per-device' must divide"));
    assertTrue(error("lr: -1").contains("'lr' must be > 0"));
    assertTrue(error("device: {speed: 3}").contains("'device.speed' is unknown"));
    assertTrue(
        error("device: {dropout: 1.5}")
            .contains("'device.dropout' must draw values in [0.0, 1.0]"));
    assertTrue(
        error("device: {dropout: {distribution: lognormal, median: 0.1, sigma: 1}}")
            .contains("'device.dropout' must draw values in"));
    assertTrue(
        error("device: {gflops: {distribution: gamma}}")
            .contains("'device.gflops.distribution' must be"));
    assertTrue(
        error("device: {gflops: {distribution: uniform, min: 1}}")
            .contains("'device.gflops.max' is missing"));
    assertTrue(
        error("device: {gflops: {distribution: uniform, min: 2, max: 1}}")
            .contains("'device.gflops.min' must be <= max"));
    assertTrue(error("device: {gflops: 0}").contains("'device.gflops' must draw values > 0"));
    assertTrue(
        error("device: {uplink-mbps: {distribution: lognormal, median: -1, sigma: 1}}")
            .contains("'device.uplink-mbps.median' must be > 0"));
    assertTrue(
        error("device: {latency-ms: {distribution: constant, value: 5, unit: s}}")
            .contains("'device.latency-ms.unit' is unknown"));
  }

  @Test
  void overridesWinAndAnUnreadableFileIsAnIoError() throws IOException {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, "devices: 10\n");
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("devices", 20);
    assertEquals(20, CrowdConfig.read(f, o).devices());
    Files.writeString(f, "devices: [1, 2\n");
    IOException e = assertThrows(IOException.class, () -> CrowdConfig.read(f, Map.of()));
    assertTrue(e.getMessage().startsWith(f + ": not a readable"), e.getMessage());
    assertInstanceOf(IOException.class, e);
  }
}
