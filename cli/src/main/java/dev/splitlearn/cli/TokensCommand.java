package dev.splitlearn.cli;

import dev.splitlearn.transport.grpc.Tokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code splitlearn tokens}: fresh bearer tokens from a secure generator, one per client: the
 * server's file ({@code --tokens}) and one file per client ({@code --token-file}), readable by
 * their owner only. Never overwrites a file.
 */
@Command(
    name = "tokens",
    mixinStandardHelpOptions = true,
    description =
        "Make bearer tokens: OUT/tokens for the server, OUT/client-ID.token for each client.")
final class TokensCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--clients", required = true, description = "Number of clients (ids 0 .. N-1).")
  int clients;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Directory to write the files to.")
  Path out;

  @Override
  public Integer call() throws IOException {
    if (clients < 1 || clients > 100_000) {
      throw new IllegalArgumentException("--clients must be in 1..100000, got " + clients);
    }
    Files.createDirectories(out);
    SecureRandom random = new SecureRandom();
    StringBuilder server =
        new StringBuilder(
            "# splitlearn bearer tokens: CLIENT_ID TOKEN (give to 'splitlearn server --tokens')\n");
    for (int i = 0; i < clients; i++) {
      String token = Tokens.generate(random);
      server.append(i).append(' ').append(token).append('\n');
      writePrivate(out.resolve("client-" + i + ".token"), token + "\n");
    }
    writePrivate(out.resolve("tokens"), server.toString());
    spec.commandLine()
        .getErr()
        .printf(
            "splitlearn tokens: %s (server) and %d client token files in %s%n",
            out.resolve("tokens"), clients, out);
    return ExitCode.OK;
  }

  private static void writePrivate(Path file, String content) throws IOException {
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      throw new IOException(file + " exists already: tokens are never overwritten", e);
    } catch (UnsupportedOperationException e) {
      Files.createFile(file); // not a POSIX file system: permissions are the directory's
    }
    Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
  }
}
