package dev.splitlearn.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.core.protocol.FloatTensor;
import dev.splitlearn.core.protocol.Message.NamedTensor;
import dev.splitlearn.core.protocol.Message.Weights;
import dev.splitlearn.core.protocol.Schedule;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The sequential schedule goes on without a client that dropped out: its turns are skipped, the
 * next client starts from the newest upload before them, and waits while an earlier client is still
 * in its turn.
 */
class SequentialDropoutTest {
  private static Rounds rounds(int clients) throws Exception {
    Rounds r =
        new Rounds(
            new ServerConfig(
                clients, Schedule.SEQUENTIAL, 1, 1, true, Duration.ofSeconds(20), null, false),
            new InMemoryWeightStore());
    List<CompletableFuture<Integer>> joins =
        java.util.stream.IntStream.range(0, clients)
            .mapToObj(i -> CompletableFuture.supplyAsync(() -> r.join(i, 4)))
            .toList();
    for (CompletableFuture<Integer> j : joins) {
      j.get(10, TimeUnit.SECONDS);
    }
    return r;
  }

  private static Weights upload(int client, long round, float value) {
    return new Weights(
        client,
        round,
        10,
        List.of(
            new NamedTensor("extractor/w", new FloatTensor(new long[] {1}, new float[] {value}))));
  }

  @Test
  void theTurnOfAClientThatLeftIsSkipped() throws Exception {
    Rounds r = rounds(3);
    r.upload(upload(0, 0, 1f));
    r.leave(1);
    Weights w = r.fetch(2, 1); // client 2 starts after turn 1, client 1's, which never comes
    assertEquals(1, w.round(), "answered for the turn asked");
    assertEquals(1f, w.tensors().get(0).tensor().data()[0], "client 0's upload of turn 0");
  }

  @Test
  void itWaitsForAnEarlierClientStillInItsTurn() throws Exception {
    Rounds r = rounds(3);
    r.leave(1);
    CompletableFuture<Weights> fetch = CompletableFuture.supplyAsync(() -> r.fetch(2, 1));
    Thread.sleep(300);
    assertFalse(fetch.isDone(), "client 0 is still training its turn");
    r.upload(upload(0, 0, 2f));
    assertEquals(2f, fetch.get(10, TimeUnit.SECONDS).tensors().get(0).tensor().data()[0]);
  }

  @Test
  void aFetchWaitingForAClientThatLeavesIsReleased() throws Exception {
    Rounds r = rounds(2);
    CompletableFuture<Weights> fetch = CompletableFuture.supplyAsync(() -> r.fetch(1, 0));
    Thread.sleep(300);
    assertFalse(fetch.isDone());
    r.leave(0); // before uploading anything
    Weights w = fetch.get(10, TimeUnit.SECONDS);
    assertTrue(w.tensors().isEmpty(), "no upload before: the client keeps its own weights");
  }
}
