package dev.splitlearn.data;

/** How the MIT-BIH beats are divided into a training and a test set. */
public enum MitBihSplit {
  /**
   * All beats of the chosen records pooled, then a stratified (per AAMI class) random split with
   * the options' seed and test fraction. Beats of one patient land on both sides, which flatters
   * accuracy.
   */
  INTRA_PATIENT,
  /**
   * de Chazal et al. (2004): train on the 22 records of DS1, test on the 22 records of DS2, paced
   * records 102, 104, 107 and 217 left out. No patient is on both sides.
   */
  INTER_PATIENT
}
