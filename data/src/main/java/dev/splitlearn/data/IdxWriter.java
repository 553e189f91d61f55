package dev.splitlearn.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPOutputStream;

/**
 * Writes IDX files of unsigned bytes, gzip-compressed when the file name ends in {@code .gz}. The output
 * is deterministic (the gzip header carries no time stamp) and is written to a temporary file that is then
 * renamed into place.
 */
public final class IdxWriter {

    private IdxWriter() {
    }

    /**
     * Writes an IDX file.
     *
     * @param file  the target; gzip-compressed if its name ends in {@code .gz}
     * @param array the dimensions and bytes
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, IdxArray array) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".part");
        try {
            try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
                    OutputStream out = file.getFileName().toString().endsWith(".gz")
                            ? new GZIPOutputStream(raw, 1 << 16) : raw;
                    DataOutputStream data = new DataOutputStream(out)) {
                int[] dims = array.dims();
                data.writeInt(0x00000800 | dims.length);
                for (int d : dims) {
                    data.writeInt(d);
                }
                data.write(array.data());
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
