package dev.splitlearn.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitlearn.privacy.Npy;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report of small synthetic runs and attacks has every section, embeds every picture as a PNG
 * that decodes, references nothing outside the page, and pairs attacks with their runs by the
 * documented rule; folders that are neither runs nor attacks are refused with a line naming them.
 */
class ReportTest {
  @TempDir Path dir;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A results.json as training writes it (the keys the report reads, and a few it does not). */
  private static void run(
      Path folder, String dataset, double nopeek, double[] accuracy, double[] dcor)
      throws IOException {
    Files.createDirectories(folder);
    List<Map<String, Object>> epochs = new ArrayList<>();
    for (int e = 0; e < accuracy.length; e++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("phase", "split");
      m.put("epoch", e + 1);
      m.put("trainLoss", 2.0 / (e + 1));
      m.put("testAccuracy", accuracy[e]);
      m.put("seconds", 1.5);
      m.put("distanceCorrelation", dcor[e]);
      epochs.add(m);
    }
    Map<String, Object> central = new LinkedHashMap<>();
    central.put("phase", "central");
    central.put("epoch", 1);
    central.put("trainLoss", 1.0);
    central.put("testAccuracy", 0.5);
    central.put("distanceCorrelation", Double.NaN); // not measured on a baseline
    epochs.add(central);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("dataset", dataset);
    config.put("model", dataset.equals("mitbih") ? "ecg-cnn" : "mnist-cnn");
    config.put("protocol", "u-shaped");
    config.put("cuts", List.of("conv1", "fc1"));
    config.put("nopeek", nopeek);
    config.put("he", "none");
    config.put("compression", "float32");
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("test_accuracy", accuracy[accuracy.length - 1]);
    r.put("bytes_client_to_server", 12_000_000L);
    r.put("bytes_server_to_client", 8_000_000L);
    r.put("per_epoch", epochs);
    r.put("config", config);
    JSON.writeValue(folder.resolve("results.json").toFile(), r);
  }

  /**
   * An attack.json with saved samples of {@code shape}; originals are i / k everywhere for sample
   * i.
   */
  private static void attack(Path folder, String run, double ssim, long... shape)
      throws IOException {
    Files.createDirectories(folder);
    int k = (int) shape[0];
    int len = 1;
    for (int d = 1; d < shape.length; d++) {
      len *= (int) shape[d];
    }
    float[] originals = new float[k * len];
    float[] guesses = new float[k * len];
    for (int i = 0; i < k * len; i++) {
      originals[i] = (i / len) / (float) k;
      guesses[i] = (float) (0.5 + 0.4 * Math.sin(i * 0.1));
    }
    Npy.writeFloats(folder.resolve("originals.npy"), shape, originals);
    Npy.writeFloats(folder.resolve("reconstructions.npy"), shape, guesses);
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("run", run);
    a.put("kind", "black-box inversion (MLP decoder, hidden 512)");
    a.put("leaked_pairs", 500);
    a.put("mse", 0.014);
    a.put("psnr_db", 19.5);
    a.put("pearson", 0.92);
    a.put("ssim", Double.isNaN(ssim) ? null : ssim);
    a.put("originals", "originals.npy");
    a.put("reconstructions", "reconstructions.npy");
    JSON.writeValue(folder.resolve("attack.json").toFile(), a);
  }

  private static BufferedImage decode(Element img) throws IOException {
    String src = img.attr("src");
    assertTrue(
        src.startsWith("data:image/png;base64,"), "not an embedded PNG: " + src.substring(0, 40));
    BufferedImage image =
        ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(src.substring(22))));
    assertNotNull(image, "does not decode: " + img.attr("alt"));
    assertTrue(image.getWidth() > 0 && image.getHeight() > 0, img.attr("alt"));
    return image;
  }

  @Test
  void reportOfRunsAndAttacksIsOneSelfContainedPage() throws Exception {
    Path runs = dir.resolve("runs");
    run(
        runs.resolve("plain"),
        "mnist",
        0,
        new double[] {0.90, 0.95, 0.97},
        new double[] {0.99, 0.98, 0.97});
    run(
        runs.resolve("nopeek"),
        "mnist",
        1.0,
        new double[] {0.85, 0.92, 0.94},
        new double[] {0.9, 0.8, 0.7});
    // by path (absolute), and by folder name only (the path it names is not there from here)
    attack(runs.resolve("plain-attack"), runs.resolve("plain").toString(), 0.81, 16, 1, 28, 28);
    attack(runs.resolve("nopeek-attack"), "elsewhere/nopeek", 0.42, 16, 1, 28, 28);
    // a folder that is both a run and an attack of it: ECG beats, (k, 1, L), no SSIM
    Path ecg = dir.resolve("ecg");
    run(ecg, "mitbih", 0, new double[] {0.8, 0.9}, new double[] {0.95, 0.94});
    attack(ecg, "whatever", Double.NaN, 16, 1, 187);

    Path out = dir.resolve("out/report.html");
    Report.write(List.of(runs, ecg), "Runs <&> \"attacks\"", out);
    assertFalse(
        Files.exists(dir.resolve("out/report.html.tmp")),
        "written through a temporary file, then moved");
    Document page = Jsoup.parse(out.toFile(), "UTF-8");

    assertEquals("Runs <&> \"attacks\"", page.title());
    assertEquals("Runs <&> \"attacks\"", page.selectFirst("h1").text());
    for (String section : List.of("runs", "curves", "tradeoff", "attacks")) {
      assertNotNull(page.getElementById(section), "section #" + section + " is missing");
    }
    List<String> rows = page.select("#runs table tr").stream().skip(1).map(Element::text).toList();
    assertEquals(3, rows.size(), rows.toString());
    String nopeek =
        "nopeek mnist mnist-cnn u-shaped conv1,fc1 nopeek 1.0 0.9400 0.700 nopeek-attack";
    assertTrue(rows.get(0).startsWith(nopeek), rows.get(0));
    assertTrue(rows.get(0).contains("0.420 19.50 0.920 12.0 8.0"), rows.get(0));
    assertTrue(
        rows.get(1)
            .startsWith("plain mnist mnist-cnn u-shaped conv1,fc1 none 0.9700 0.970 plain-attack"),
        rows.get(1));
    assertTrue(rows.get(2).startsWith("ecg mitbih ecg-cnn"), rows.get(2));

    assertEquals(3, page.select("#curves img").size(), "one chart of curves per run");
    assertEquals(1, page.select("#tradeoff img").size());
    assertEquals(3, page.select("#attacks img").size(), "two image grids and one plot of signals");
    for (Element img : page.select("img")) {
      decode(img);
    }
    BufferedImage grid =
        decode(page.select("#attacks img").get(0)); // nopeek-attack: 16 tiles of 56 x 56
    assertEquals(4 + 16 * (56 + 4), grid.getWidth());
    assertEquals(4 + 2 * (56 + 4), grid.getHeight());
    int last =
        grid.getRGB(4 + 15 * 60 + 10, 4 + 10) & 0xff; // top row: sample 15 of the originals, 15/16
    assertEquals(
        Math.round(15 / 16f * 255), last, "originals in the top row, their own grey values");
    assertEquals(0, grid.getRGB(4 + 10, 4 + 10) & 0xff, "sample 0 of the originals is black");

    assertTrue(
        page.select("script, link, iframe, object, embed").isEmpty(), "nothing to load or run");
    for (Element e : page.select("[src], [href]")) {
      for (String attr : List.of("src", "href")) {
        String v = e.attr(attr).toLowerCase();
        assertFalse(
            v.startsWith("http:") || v.startsWith("https:") || v.startsWith("//"),
            "external: " + v);
      }
    }
    String text = Files.readString(out).toLowerCase(); // ':' is not in base64's alphabet
    assertFalse(
        text.contains("http:") || text.contains("https:") || text.contains("url("),
        "no address in the page");
  }

  @Test
  void anAttackPullsInTheRunItNames() throws Exception {
    Path run = dir.resolve("a-run");
    run(run, "mnist", 0, new double[] {0.9}, new double[] {0.99});
    Path atk = dir.resolve("its-attack");
    attack(atk, run.toString(), 0.8, 4, 1, 16, 16);
    Inputs in = Inputs.of(List.of(atk));
    assertEquals(1, in.rows().size());
    assertEquals("a-run", in.rows().get(0).name());
    assertEquals(0.9, in.rows().get(0).run().testAccuracy());
    assertEquals("its-attack", in.rows().get(0).attack().name());
  }

  @Test
  void aLabelAttackGetsItsFindingsInATable() throws Exception {
    Path run = dir.resolve("u-run");
    run(run, "mnist", 0, new double[] {0.9}, new double[] {0.99});
    Path atk = dir.resolve("u-labels");
    Files.createDirectories(atk);
    JSON.writeValue(
        atk.resolve("attack.json").toFile(),
        JSON.readTree(
            "{\"kind\": \"label inference\", \"run\": \""
                + run.toString().replace("\\", "/")
                + "\", \"report\": {\"gradients\": [{\"evidence\": \"cloud-output gradient\", "
                + "\"scores\": [{\"method\": \"direction\", \"accuracy\": 0.987, \"chance\": 0.112, \"macroAuc\": 0.999}]}], "
                + "\"biasCounts\": null}}"));
    Document page = Jsoup.parse(Report.html(List.of(run, atk), "labels"));
    Element section = page.getElementById("labels");
    assertTrue(section != null, "a labels section");
    String text = section.text();
    assertTrue(
        text.contains("u-labels")
            && text.contains("direction accuracy 0.987 (chance 0.112)")
            && text.contains("macro AUC 0.999"),
        text);
    assertEquals(1, Inputs.of(List.of(atk)).labelAttacks().size());
  }

  @Test
  void aFolderWithoutResultsOrAttackIsRefusedByName() throws Exception {
    Path empty = dir.resolve("not-a-run");
    Files.createDirectories(empty.resolve("checkpoints"));
    IOException e = assertThrows(IOException.class, () -> Report.html(List.of(empty), "t"));
    assertEquals(
        empty + ": no results.json or attack.json in it or in its subfolders", e.getMessage());
    IOException missing =
        assertThrows(IOException.class, () -> Report.html(List.of(dir.resolve("nowhere")), "t"));
    assertEquals(dir.resolve("nowhere") + ": no such folder", missing.getMessage());

    Path broken = dir.resolve("broken");
    attack(broken, "x", 0.5, 4, 1, 16, 16);
    Files.delete(broken.resolve("reconstructions.npy"));
    IOException gone = assertThrows(IOException.class, () -> Report.html(List.of(broken), "t"));
    assertTrue(
        gone.getMessage().contains(broken.resolve("reconstructions.npy").toString()),
        gone.getMessage());
    Files.writeString(broken.resolve("attack.json"), "{\"mse\": ");
    IOException bad = assertThrows(IOException.class, () -> Report.html(List.of(broken), "t"));
    assertTrue(
        bad.getMessage().startsWith(broken.resolve("attack.json") + ": not valid JSON"),
        bad.getMessage());
    assertFalse(bad.getMessage().contains("\n"), bad.getMessage());
  }
}
