package dev.splitlearn.core.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A confusion matrix and what follows from it: accuracy and per-class precision and recall. */
public final class Evaluation {
  private final List<String> classNames;
  private final long[][] confusion; // [true][predicted]

  /** An empty matrix over {@code classNames}. */
  public Evaluation(List<String> classNames) {
    this.classNames = List.copyOf(classNames);
    this.confusion = new long[classNames.size()][classNames.size()];
  }

  /** Counts predictions against labels. */
  public void add(int[] labels, int[] predictions, int count) {
    for (int i = 0; i < count; i++) {
      confusion[labels[i]][predictions[i]]++;
    }
  }

  /** Fraction of correct predictions. */
  public double accuracy() {
    long right = 0;
    long all = 0;
    for (int t = 0; t < confusion.length; t++) {
      for (int p = 0; p < confusion.length; p++) {
        all += confusion[t][p];
        right += t == p ? confusion[t][p] : 0;
      }
    }
    return all == 0 ? 0 : (double) right / all;
  }

  /** Per class: support, precision and recall. */
  public List<Map<String, Object>> perClass() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int c = 0; c < confusion.length; c++) {
      long support = 0;
      long predicted = 0;
      for (int k = 0; k < confusion.length; k++) {
        support += confusion[c][k];
        predicted += confusion[k][c];
      }
      long tp = confusion[c][c];
      Map<String, Object> row =
          new LinkedHashMap<>(); // a fixed key order: results.json is the same every run
      row.put("class", classNames.get(c));
      row.put("support", support);
      row.put("precision", predicted == 0 ? 0.0 : (double) tp / predicted);
      row.put("recall", support == 0 ? 0.0 : (double) tp / support);
      rows.add(row);
    }
    return rows;
  }

  /** The confusion matrix, rows are true classes. */
  public long[][] confusion() {
    long[][] copy = new long[confusion.length][];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = confusion[i].clone();
    }
    return copy;
  }
}
