package dev.splitlearn.crowd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualClockTest {
  @Test
  void firesEventsInTimeOrderAndTiesInSchedulingOrder() {
    VirtualClock clock = new VirtualClock();
    List<String> fired = new ArrayList<>();
    clock.after(3, "c", 0, 0, () -> fired.add("c@" + clock.now()));
    clock.after(
        1,
        "a",
        0,
        0,
        () -> {
          fired.add("a@" + clock.now());
          clock.after(0.5, "b", 0, 0, () -> fired.add("b@" + clock.now())); // at 1.5, before c
          clock.after(
              2,
              "tie1",
              0,
              0,
              () -> fired.add("tie1@" + clock.now())); // at 3, after c (scheduled later)
        });
    clock.after(3, "tie2", 0, 0, () -> fired.add("tie2@" + clock.now()));
    clock.run();
    assertEquals(List.of("a@1.0", "b@1.5", "c@3.0", "tie2@3.0", "tie1@3.0"), fired);
    assertEquals(3.0, clock.now());
    assertEquals(5, clock.trace().size());
    assertEquals("a", clock.trace().get(0).kind());
  }

  @Test
  void refusesEventsInThePast() {
    VirtualClock clock = new VirtualClock();
    assertThrows(IllegalArgumentException.class, () -> clock.after(-1e-9, "x", 0, 0, () -> {}));
    assertThrows(
        IllegalArgumentException.class, () -> clock.after(Double.NaN, "x", 0, 0, () -> {}));
    assertThrows(
        IllegalArgumentException.class,
        () -> clock.after(Double.POSITIVE_INFINITY, "x", 0, 0, () -> {}));
  }

  @Test
  void sameEventsGiveTheSameDigest() {
    VirtualClock a = new VirtualClock();
    VirtualClock b = new VirtualClock();
    a.after(1, "x", 1, 1, () -> {});
    b.after(1, "x", 1, 1, () -> {});
    a.run();
    b.run();
    assertEquals(a.traceSha256(), b.traceSha256());
    VirtualClock c = new VirtualClock();
    c.after(1, "x", 2, 1, () -> {});
    c.run();
    org.junit.jupiter.api.Assertions.assertNotEquals(a.traceSha256(), c.traceSha256());
  }

  @Test
  void halfTheBandwidthTakesTwiceTheTransferTime() {
    DeviceProfile fast = new DeviceProfile(0, 1e9, 8e6, 16e6, 0.05, 0);
    DeviceProfile slow = new DeviceProfile(1, 1e9, 4e6, 8e6, 0.05, 0);
    long bytes = 1_000_000;
    assertEquals(1.0, fast.uploadSeconds(bytes) - 0.05, 1e-12);
    assertEquals(2 * (fast.uploadSeconds(bytes) - 0.05), slow.uploadSeconds(bytes) - 0.05, 1e-12);
    assertEquals(
        2 * (fast.downloadSeconds(bytes) - 0.05), slow.downloadSeconds(bytes) - 0.05, 1e-12);
    assertEquals(0.5, fast.computeSeconds(5e8), 1e-12);
  }
}
