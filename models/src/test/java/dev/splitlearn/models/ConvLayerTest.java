package dev.splitlearn.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The convolutions a model reports are the ones its stages run, with the inputs they see. */
class ConvLayerTest {
  @Test
  void ecgCnnHasItsTwoConvolutions() {
    ModelSpec spec = ModelZoo.get("ecg-cnn", new long[] {1, 128}, 5);
    List<ConvLayer> convs = spec.convolutions(0, spec.stages().size());
    assertEquals(2, convs.size());
    ConvLayer conv2 = convs.get(1);
    assertEquals("ecg-cnn/conv2", conv2.where());
    assertEquals(16, conv2.inChannels());
    assertEquals(8, conv2.outChannels());
    assertArrayEquals(new int[] {64}, conv2.inputSize(), "after conv1's pooling");
    assertArrayEquals(new int[] {5}, conv2.kernel());
    assertArrayEquals(new int[] {2}, conv2.padding());
    assertEquals(64, conv2.outputSize(0));
    assertEquals(List.of(), spec.convolutions(2, 3), "the linear stage has none");
  }

  @Test
  void resNetConvolutionsIncludeStridesProjectionsAndRepeats() {
    ModelSpec spec = ModelZoo.get("cifar-resnet", new long[] {1, 28, 28}, 10);
    List<ConvLayer> convs = spec.convolutions(0, spec.stages().size());
    assertEquals(1 + 3 * 3 * 2 + 2, convs.size(), "stem, 2 per basic block, 2 projections");
    ConvLayer projection = convs.stream().filter(c -> c.kernel()[0] == 1).findFirst().orElseThrow();
    assertArrayEquals(new int[] {2, 2}, projection.stride());
    assertEquals(14, projection.outputSize(0));
  }

  @Test
  void invalidLayersAreRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new ConvLayer(
                    "x",
                    1,
                    1,
                    new int[] {2},
                    new int[] {7},
                    new int[] {1},
                    new int[] {0},
                    1,
                    true));
    assertEquals("ConvLayer x: kernel 7 does not fit input 2 with padding 0", e.getMessage());
  }
}
