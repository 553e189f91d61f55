package dev.splitlearn.models;

/** Which party holds a part of a split model. */
public enum Role {
  /** Client-side feature extractor (the head): runs on raw data. */
  EXTRACTOR,
  /** Server-side cloud model (the body). In vanilla mode it also holds the labels and the loss. */
  CLOUD,
  /** Client-side local classifier (the tail) of U-shaped split learning: holds labels and loss. */
  CLASSIFIER
}
