package dev.splitlearn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.core.Fixtures;
import dev.splitlearn.core.client.ClientConfig;
import dev.splitlearn.core.client.ClientListener;
import dev.splitlearn.core.client.ClientStep;
import dev.splitlearn.core.client.SplitClient;
import dev.splitlearn.core.client.SplitClientRuntime;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.protocol.Compression;
import dev.splitlearn.core.protocol.FloatTensor;
import dev.splitlearn.core.protocol.InProcessTransport;
import dev.splitlearn.core.protocol.Message.Forward;
import dev.splitlearn.core.protocol.RemoteException;
import dev.splitlearn.core.protocol.Schedule;
import dev.splitlearn.core.server.ServerConfig;
import dev.splitlearn.core.server.SplitServerRuntime;
import dev.splitlearn.core.train.Augmentation;
import dev.splitlearn.data.Dataset;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Protocol;
import dev.splitlearn.models.SplitPlan;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The metrics endpoint scraped while a client trains shows sessions, steps, bytes and refusals. */
class ServerMetricsTest {
  private static final SplitPlan PLAN =
      ModelZoo.get("ecg-cnn", new long[] {1, Fixtures.WAVE_LENGTH}, 5).plan(Protocol.U_SHAPED);
  private static final OptimizerSpec ADAM = OptimizerSpec.adam(0.003f);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static String get(int port, String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path);
    return r.body();
  }

  private static double value(String scrape, String series) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
    assertTrue(m.find(), series + " missing from the scrape:\n" + scrape);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void aScrapeDuringTrainingShowsSessionsStepsAndBytes() throws Exception {
    Dataset data = Fixtures.waves(320, 1);
    ServerMetrics metrics = new ServerMetrics();
    List<String> scrapes = new ArrayList<>();
    try (SplitServerRuntime server =
            new SplitServerRuntime(
                PLAN,
                3,
                ADAM,
                null,
                new ServerConfig(
                    1, Schedule.PARALLEL, 1, 1, true, Duration.ofMinutes(1), null, false));
        HTTPServer http = metrics.serve("127.0.0.1", 0)) {
      server.addListener(metrics);
      assertTrue(metrics.meter(server).handlesOnNetworkThreads(), "the metered server says so too");
      int port = http.getPort();
      try (SplitClient client =
          new SplitClient(0, PLAN, 3, ADAM, new InProcessTransport(metrics.meter(server)))) {
        new SplitClientRuntime(
                client,
                data,
                null,
                new ClientConfig(
                    ADAM, 32, 3, Augmentation.NONE, Compression.FLOAT32, false, null, false),
                new ClientListener() {
                  @Override
                  public void onStep(ClientStep step) {
                    if (step.done() == 5) {
                      try {
                        scrapes.add(get(port, "/metrics"));
                      } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                      }
                    }
                  }
                })
            .run();
      }
      String during = scrapes.get(0);
      assertEquals(1.0, value(during, "splitlearn_sessions_open"));
      assertEquals(1.0, value(during, "splitlearn_sessions_total"));
      assertEquals(5.0, value(during, "splitlearn_steps_total"));
      assertTrue(
          value(during, "splitlearn_received_bytes_total") > 5 * 32 * 4 * 16,
          "activations went up");
      assertTrue(value(during, "splitlearn_sent_bytes_total") > 0);
      assertEquals(5.0, value(during, "splitlearn_requests_total{type=\"forward\"}"));
      assertEquals(5.0, value(during, "splitlearn_step_compute_seconds_count"));
      assertTrue(during.contains("jvm_memory_used_bytes"), "the JVM's metrics are there too");

      // a refused request is counted by its code
      try (InProcessTransport raw = new InProcessTransport(metrics.meter(server))) {
        assertTrue(
            org.junit.jupiter.api.Assertions.assertThrows(
                    RemoteException.class,
                    () ->
                        raw.exchange(
                            new Forward(
                                0,
                                0,
                                true,
                                new FloatTensor(new long[] {1, 1}, new float[1]),
                                null)))
                .getMessage()
                .contains("before Hello"));
      }
      String after = get(port, "/metrics");
      assertEquals(0.0, value(after, "splitlearn_sessions_open"));
      assertEquals(10.0, value(after, "splitlearn_steps_total"));
      assertEquals(1.0, value(after, "splitlearn_refusals_total{code=\"FAILED_PRECONDITION\"}"));
      assertTrue(
          get(port, "/-/healthy").toLowerCase(java.util.Locale.ROOT).contains("healthy"),
          "health check");
    }
  }
}
