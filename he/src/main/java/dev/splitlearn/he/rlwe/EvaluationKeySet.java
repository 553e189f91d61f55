package dev.splitlearn.he.rlwe;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The evaluation keys an evaluator may use: an optional relinearisation key and Galois keys.
 * Immutable.
 */
public final class EvaluationKeySet {

  private final RelinearizationKey relinearizationKey;
  private final Map<Long, GaloisKey> galoisKeys;

  /**
   * @param relinearizationKey the relinearisation key, or null
   * @param galoisKeys Galois keys (later duplicates replace earlier ones)
   */
  public EvaluationKeySet(RelinearizationKey relinearizationKey, Collection<GaloisKey> galoisKeys) {
    this.relinearizationKey = relinearizationKey;
    Map<Long, GaloisKey> m = new HashMap<>();
    for (GaloisKey g : galoisKeys) {
      m.put(g.galoisElement(), g);
    }
    this.galoisKeys = Collections.unmodifiableMap(m);
  }

  /**
   * @return an empty key set (plaintext and additive operations only)
   */
  public static EvaluationKeySet empty() {
    return new EvaluationKeySet(null, java.util.List.of());
  }

  /**
   * @param op operation name for the error message
   * @return the relinearisation key
   * @throws IllegalStateException if there is none
   */
  public RelinearizationKey relinearizationKey(String op) {
    if (relinearizationKey == null) {
      throw new IllegalStateException("cannot " + op + ": relinearization key is missing");
    }
    return relinearizationKey;
  }

  /**
   * @return whether a relinearisation key is present
   */
  public boolean hasRelinearizationKey() {
    return relinearizationKey != null;
  }

  /**
   * @param galEl the Galois element
   * @param op operation name for the error message
   * @return the key
   * @throws IllegalStateException if it is missing
   */
  public GaloisKey galoisKey(long galEl, String op) {
    GaloisKey k = galoisKeys.get(galEl);
    if (k == null) {
      throw new IllegalStateException(
          "cannot "
              + op
              + ": key for galEl "
              + galEl
              + " is missing (have "
              + galoisElements()
              + ")");
    }
    return k;
  }

  /**
   * @return the Galois elements present, sorted
   */
  public Set<Long> galoisElements() {
    return Collections.unmodifiableSet(new TreeSet<>(galoisKeys.keySet()));
  }
}
