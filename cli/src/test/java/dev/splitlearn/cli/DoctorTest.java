package dev.splitlearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * {@code splitlearn doctor} reports versions, CPU, threads, a self-test line per kernel and the
 * data sets.
 */
class DoctorTest {
  @Test
  void reportsTheMachineAndASelfTestLinePerConvolution() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new String[] {"doctor", "--model", "ecg-cnn"},
            new PrintWriter(out),
            new PrintWriter(err));
    assertEquals(ExitCode.OK, code, err.toString());
    String text = out.toString();
    for (String line :
        new String[] {
          "java ", "djl ", "cpu ", "isa ", "threads ", "onednn ", "self-test ", "data "
        }) {
      assertTrue(
          text.lines().anyMatch(l -> l.startsWith(line)), "no '" + line + "' line in:\n" + text);
    }
    assertTrue(
        text.lines().anyMatch(l -> l.contains("ecg-cnn/conv2") && l.contains("1 thread(s)")), text);
    assertTrue(text.lines().anyMatch(l -> l.contains("known-bad")), text);
    assertTrue(
        text.lines()
            .filter(l -> l.contains("ecg-cnn/conv"))
            .allMatch(l -> l.trim().startsWith("ok") || !l.contains("oneDNN off")),
        "after any fallback every check passes:\n" + text);
  }

  @Test
  void refusesAnUnknownMode() {
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new String[] {"doctor", "--onednn", "fast"},
            new PrintWriter(new StringWriter()),
            new PrintWriter(err));
    assertEquals(ExitCode.USAGE, code, err.toString());
    assertTrue(
        err.toString().startsWith("splitlearn: error: --onednn: unknown oneDNN mode 'fast'"),
        err.toString());
  }
}
