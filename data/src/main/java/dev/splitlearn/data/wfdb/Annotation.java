package dev.splitlearn.data.wfdb;

/**
 * One annotation of a WFDB annotation file.
 *
 * @param time the sample index it refers to (for beats: the R peak)
 * @param code the WFDB annotation code, 0-49 (e.g. 1 = {@code N}, 5 = {@code V})
 * @param subtype the subtype ({@code SUB} pseudo-annotation), 0 if none
 * @param chan the signal it refers to ({@code CHN}); carried over from the previous annotation
 * @param num the annotator number ({@code NUM}); carried over from the previous annotation
 * @param aux auxiliary text ({@code AUX}), e.g. {@code "(AFIB"} on rhythm changes, or null
 */
public record Annotation(long time, int code, int subtype, int chan, int num, String aux) {

  /**
   * @return the mnemonic of the code, e.g. {@code "N"}; see {@link Annotations#symbol(int)}
   */
  public String symbol() {
    return Annotations.symbol(code);
  }

  /**
   * @return whether the code marks a beat (see {@link Annotations#isBeat(int)})
   */
  public boolean isBeat() {
    return Annotations.isBeat(code);
  }
}
