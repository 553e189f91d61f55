package dev.splitlearn.privacy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files are byte for byte what {@code numpy.save} writes (checked once against NumPy 2.4.6:
 * {@code np.save(f, np.array([[1, 2, 3], [4, 5, 6.5]], dtype='<f4'))} gives these 152 bytes).
 */
class NpyTest {
  @TempDir Path dir;

  @Test
  void floatFileIsNumpysBytes() throws Exception {
    Path f = dir.resolve("x.npy");
    Npy.writeFloats(f, new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6.5f});
    byte[] bytes = Files.readAllBytes(f);
    assertEquals(152, bytes.length);
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    byte[] expectedHeader = new byte[128];
    byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0};
    System.arraycopy(magic, 0, expectedHeader, 0, magic.length);
    byte[] text =
        (dict + " ".repeat(118 - dict.length() - 1) + "\n").getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(text, 0, expectedHeader, 10, text.length);
    assertArrayEquals(expectedHeader, Arrays.copyOf(bytes, 128));
    ByteBuffer data = ByteBuffer.wrap(bytes, 128, 24).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : new float[] {1, 2, 3, 4, 5, 6.5f}) {
      assertEquals(v, data.getFloat());
    }
  }

  @Test
  void oneDimensionalShapesHaveNumpysTrailingComma() throws Exception {
    Path f = dir.resolve("y.npy");
    Npy.writeInts(f, new long[] {3}, new int[] {7, -1, 9});
    String header = new String(Files.readAllBytes(f), 10, 118, StandardCharsets.US_ASCII);
    assertEquals("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", header.strip());
    assertEquals(128 + 12, Files.size(f));
    assertThrows(
        IllegalArgumentException.class, () -> Npy.writeInts(f, new long[] {2}, new int[3]));
  }

  @Test
  void readGivesBackWhatWasWritten() throws Exception {
    Path f = dir.resolve("z.npy");
    Npy.writeFloats(f, new long[] {2, 1, 3}, new float[] {1, 2, 3, 4, 5, 6.5f});
    Npy.Array a = Npy.read(f);
    assertArrayEquals(new long[] {2, 1, 3}, a.shape());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6.5f}, a.data());
    Npy.writeInts(f, new long[] {3}, new int[] {7, -1, 9});
    assertArrayEquals(new float[] {7, -1, 9}, Npy.read(f).data());
  }

  @Test
  void readRefusesWhatIsNotAnNpyFileOrIsCut() throws Exception {
    Path f = dir.resolve("bad.npy");
    Files.writeString(f, "not numpy at all");
    assertThrows(java.io.IOException.class, () -> Npy.read(f));
    Npy.writeFloats(f, new long[] {4}, new float[4]);
    byte[] bytes = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(bytes, bytes.length - 4));
    java.io.IOException e = assertThrows(java.io.IOException.class, () -> Npy.read(f));
    assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
  }
}
