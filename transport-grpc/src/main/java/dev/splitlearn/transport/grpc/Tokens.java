package dev.splitlearn.transport.grpc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The server's bearer tokens, one per client id, read from a file of {@code CLIENT_ID TOKEN} lines
 * ({@code #} starts a comment). Only SHA-256 digests are kept; a presented token is compared with
 * every entry in constant time, so neither timing nor an early exit tells which bytes matched.
 */
public final class Tokens {
  /** Shortest token accepted: 32 base64url characters, 192 bits when drawn at random. */
  public static final int MIN_LENGTH = 32;

  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{" + MIN_LENGTH + ",512}");

  private record Entry(int clientId, byte[] digest) {}

  private final List<Entry> entries;

  private Tokens(List<Entry> entries) {
    this.entries = entries;
  }

  /**
   * Reads {@code file}.
   *
   * @throws IOException if it cannot be read
   * @throws IllegalArgumentException naming the file and line of a malformed entry, a short token,
   *     or a client id or token given twice
   */
  public static Tokens load(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<Entry> entries = new ArrayList<>();
    Set<Integer> ids = new HashSet<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = "--tokens " + file + " line " + (i + 1);
      String[] parts = line.split("\\s+");
      if (parts.length != 2) {
        throw new IllegalArgumentException(where + ": expected 'CLIENT_ID TOKEN'");
      }
      int id;
      try {
        id = Integer.parseInt(parts[0]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            where + ": client id '" + parts[0] + "' is not a number");
      }
      if (id < 0) {
        throw new IllegalArgumentException(where + ": client id " + id + " is negative");
      }
      if (!TOKEN.matcher(parts[1]).matches()) {
        throw new IllegalArgumentException(
            where
                + ": a token must be "
                + MIN_LENGTH
                + " to 512 characters of A-Z a-z 0-9 _ - (make them with 'splitlearn tokens')");
      }
      if (!ids.add(id)) {
        throw new IllegalArgumentException(where + ": client " + id + " has a token already");
      }
      if (!seen.add(parts[1])) {
        throw new IllegalArgumentException(
            where + ": the token of client " + id + " is another client's too");
      }
      entries.add(new Entry(id, sha256(parts[1])));
    }
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("--tokens " + file + ": no tokens in the file");
    }
    return new Tokens(List.copyOf(entries));
  }

  /** A fresh random token: 32 bytes from a secure generator, base64url (43 characters). */
  public static String generate(SecureRandom random) {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /**
   * The client id {@code presented} belongs to, or empty; takes the same time whichever matches.
   */
  public OptionalInt authenticate(String presented) {
    byte[] digest = sha256(presented == null ? "" : presented);
    int found = -1;
    for (Entry e : entries) {
      boolean match =
          MessageDigest.isEqual(e.digest(), digest); // constant time in the digest bytes
      found = match ? e.clientId() : found;
    }
    return found < 0 ? OptionalInt.empty() : OptionalInt.of(found);
  }

  /** Number of clients with a token. */
  public int size() {
    return entries.size();
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java", e);
    }
  }
}
