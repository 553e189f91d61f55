package dev.splitlearn.core.defense;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one client does to protect what it sends: NoPeek's weight in its extractor loss and the
 * transforms of its activations. A run may give each client its own (a config file's {@code
 * client-defenses}); a client without one takes the run's flags.
 *
 * @param client the client's id, &gt;= 0
 * @param noPeek weight of NoPeek's dCor^2(X, A), finite and &gt;= 0 (0: off)
 * @param defenses the transforms of its activations
 */
public record ClientDefenses(int client, float noPeek, Defenses defenses) {
  /** Checks the fields, naming the option at fault. */
  public ClientDefenses {
    if (client < 0) {
      throw new IllegalArgumentException("client id must be >= 0, got " + client);
    }
    if (!(noPeek >= 0) || Float.isInfinite(noPeek)) {
      throw new IllegalArgumentException("--nopeek must be a finite weight >= 0, got " + noPeek);
    }
    if (defenses == null) {
      throw new IllegalArgumentException("defenses must not be null (use Defenses.NONE)");
    }
  }

  /** As recorded per client in results.json. */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("client", client);
    m.put("nopeek", noPeek);
    m.put("defenses", defenses.describe());
    return m;
  }
}
