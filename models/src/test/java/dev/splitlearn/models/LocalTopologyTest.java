package dev.splitlearn.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PrivyNet's local topology in the zoo: channel choice, the selection stage, and the cloud part
 * after it.
 */
class LocalTopologyTest {
  private static final ModelSpec MNIST = ModelZoo.get("mnist-cnn", new long[] {1, 28, 28}, 10);

  @Test
  void rankedKeepsTheLargestL1FiltersInRankOrder() {
    // 4 filters of 2 weights: L1 norms 1, 5, 3, 5 -> 1 and 3 tie at 5 (lower index first), then 2,
    // then 0
    float[] w = {1, 0, -2, 3, 0.5f, -2.5f, 4, 1};
    long[] shape = {4, 2, 1};
    assertArrayEquals(new int[] {1, 3, 2}, ChannelSelect.ranked(3, w, shape));
    assertArrayEquals(new int[] {1, 3, 2, 0}, ChannelSelect.ranked(4, w, shape));
    assertArrayEquals(ChannelSelect.ranked(3, w, shape), ChannelSelect.ranked(3, w.clone(), shape));
  }

  @Test
  void randomIsSeededDistinctAndInRange() {
    int[] a = ChannelSelect.random(8, 32, 7);
    assertArrayEquals(a, ChannelSelect.random(8, 32, 7), "same seed, same channels");
    assertNotEquals(
        Arrays.toString(a),
        Arrays.toString(ChannelSelect.random(8, 32, 8)),
        "another seed, others");
    assertEquals(8, Arrays.stream(a).distinct().count());
    assertTrue(Arrays.stream(a).allMatch(i -> i >= 0 && i < 32));
    int[] sorted = a.clone();
    Arrays.sort(sorted);
    assertArrayEquals(sorted, a, "kept in increasing order");
    assertArrayEquals(new int[] {0, 1, 2, 3}, ChannelSelect.random(4, 4, 1), "all of them");
  }

  @Test
  void selectionPicksTheNamedChannelsOfImagesAndOfFlattenedMaps() {
    try (NDManager m = NDManager.newBaseManager()) {
      // (1, 3, 2, 2): channel j holds the values 10j .. 10j+3
      float[] v = new float[12];
      for (int j = 0; j < 3; j++) {
        for (int p = 0; p < 4; p++) {
          v[j * 4 + p] = 10 * j + p;
        }
      }
      ChannelSelectBlock select = new ChannelSelectBlock(3, 2, new int[] {2, 0});
      select.initialize(m, DataType.FLOAT32, new Shape(1, 3, 2, 2));
      NDArray image =
          select
              .forward(
                  new ParameterStore(m, false),
                  new NDList(m.create(v, new Shape(1, 3, 2, 2))),
                  false)
              .singletonOrThrow();
      assertEquals(new Shape(1, 2, 2, 2), image.getShape());
      assertArrayEquals(new float[] {20, 21, 22, 23, 0, 1, 2, 3}, image.toFloatArray());
      NDArray flat =
          select
              .forward(
                  new ParameterStore(m, false), new NDList(m.create(v, new Shape(1, 12))), false)
              .singletonOrThrow();
      assertEquals(new Shape(1, 8), flat.getShape());
      assertArrayEquals(new float[] {20, 21, 22, 23, 0, 1, 2, 3}, flat.toFloatArray());
    }
  }

  @Test
  void theCloudPartTakesCChannels() {
    for (int k : new int[] {1, 2}) {
      ModelSpec spec =
          MNIST.withLocalTopology(
              new LocalTopology(
                  k, 4, ChannelSelect.RANDOM, ChannelSelect.random(4, MNIST.blockChannels(k), 1)));
      SplitPlan plan = spec.plan(Protocol.U_SHAPED);
      assertEquals(List.of(ModelSpec.SELECT_STAGE, "fc1"), plan.cuts());
      Shape cut = spec.boundaryShapes().get(plan.from(Role.CLOUD));
      assertEquals(
          k == 1 ? new Shape(1, 4, 14, 14) : new Shape(1, 4 * 49), cut, "c channels cross the cut");
      try (NDManager m = NDManager.newBaseManager()) {
        List<Block> cloud = spec.initialize(m, plan.from(Role.CLOUD), plan.to(Role.CLOUD), 1);
        NDArray x = m.ones(new Shape(2).addAll(cut.slice(1)));
        for (Block b : cloud) {
          x = b.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
        }
        assertEquals(new Shape(2, 512), x.getShape(), "the cloud part runs on c channels");
      }
    }
  }

  @Test
  void theFingerprintTellsTopologiesApart() {
    String a =
        MNIST
            .withLocalTopology(new LocalTopology(1, 8, ChannelSelect.RANKED, null))
            .plan(Protocol.U_SHAPED)
            .fingerprint();
    String sameOnAServer =
        MNIST
            .withLocalTopology(
                new LocalTopology(1, 8, ChannelSelect.RANKED, new int[] {0, 1, 2, 3, 4, 5, 6, 7}))
            .plan(Protocol.U_SHAPED)
            .fingerprint();
    assertEquals(a, sameOnAServer, "the indices are the client's, not part of the plan");
    for (LocalTopology other :
        List.of(
            new LocalTopology(1, 16, ChannelSelect.RANKED, null),
            new LocalTopology(1, 8, ChannelSelect.RANDOM, null),
            new LocalTopology(2, 8, ChannelSelect.RANKED, null))) {
      assertNotEquals(
          a,
          MNIST.withLocalTopology(other).plan(Protocol.U_SHAPED).fingerprint(),
          other.toString());
    }
    assertNotEquals(a, MNIST.plan(Protocol.U_SHAPED).fingerprint());
  }

  @Test
  void badLayersAndChannelsNameTheirFlag() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MNIST.withLocalTopology(new LocalTopology(1, 33, ChannelSelect.RANKED, null)));
    assertTrue(e.getMessage().startsWith("--channels must be in 1..32"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MNIST.withLocalTopology(new LocalTopology(4, 1, ChannelSelect.RANKED, null)));
    assertTrue(e.getMessage().startsWith("--layers must be in 1..3"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                MNIST.withLocalTopology(
                    new LocalTopology(1, 2, ChannelSelect.RANKED, new int[] {3, 3})));
    assertTrue(e.getMessage().contains("distinct"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> new LocalTopology(0, 1, ChannelSelect.RANKED, null));
    e = assertThrows(IllegalArgumentException.class, () -> ChannelSelect.parse("best"));
    assertTrue(e.getMessage().startsWith("--channel-select"), e.getMessage());
  }
}
