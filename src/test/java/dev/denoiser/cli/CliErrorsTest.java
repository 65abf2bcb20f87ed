package dev.denoiser.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.data.Idx;
import dev.denoiser.model.ModelZoo;
import dev.denoiser.model.TrainConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Bad input to train, eval and export ends with exit code 2 and one line on stderr, never a stack
 * trace.
 */
class CliErrorsTest {
  @TempDir Path tmp;

  record Run(int code, String err) {}

  static Run run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    return new Run(cl.execute(args), err.toString());
  }

  static void assertOneLineError(Run r, String expected) {
    assertEquals(2, r.code(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
    assertTrue(r.err().contains(expected), r.err());
  }

  @Test
  void unknownModelOrArchitecture() {
    assertOneLineError(run("train", "nosuch", "--out", tmp.toString()), "unknown model 'nosuch'");
    assertOneLineError(
        run("train", "x", "--arch", "resnet", "--out", tmp.toString()),
        "unknown architecture 'resnet'");
  }

  @Test
  void impossibleShape() {
    assertOneLineError(
        run("train", "x", "--arch", "conv-upsample", "--c1", "0", "--out", tmp.toString()),
        "impossible network sizes");
  }

  @Test
  void missingDataset() {
    assertOneLineError(
        run(
            "train",
            "linear",
            "--data-dir",
            tmp.resolve("none").toString(),
            "--out",
            tmp.toString()),
        "sh src/scripts/fetch-mnist.sh");
    assertOneLineError(
        run("eval", "--models", "models", "--data-dir", tmp.resolve("none").toString()),
        "sh src/scripts/fetch-mnist.sh");
  }

  @Test
  void corruptIdxFile() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("mnist"));
    for (String f : new String[] {"train-images-idx3-ubyte", "t10k-images-idx3-ubyte"}) {
      Idx.write(data.resolve(f), Idx.LABELS_MAGIC, new int[] {3}, new byte[3], false);
    }
    for (String f : new String[] {"train-labels-idx1-ubyte", "t10k-labels-idx1-ubyte"}) {
      Idx.write(data.resolve(f), Idx.LABELS_MAGIC, new int[] {3}, new byte[3], false);
    }
    assertOneLineError(
        run(
            "train",
            "linear",
            "--data-dir",
            data.toString(),
            "--out",
            tmp.resolve("out").toString()),
        "corrupt IDX file");
  }

  @Test
  void outputDirectoryThatCannotBeWritten() throws Exception {
    Path file = Files.writeString(tmp.resolve("plain-file"), "x");
    assertOneLineError(
        run("train", "linear", "--out", file.resolve("sub").toString()),
        "cannot create output directory");
    assertOneLineError(
        run(
            "export",
            "--checkpoint",
            tmp.resolve("c.bin").toString(),
            "--name",
            "x",
            "--out",
            file.toString()),
        "cannot create output directory");
  }

  @Test
  void missingModelsOrCheckpoint() {
    assertOneLineError(run("eval", "--models", tmp.toString(), "--images", "10"), "no models");
    assertOneLineError(
        run(
            "export",
            "--checkpoint",
            tmp.resolve("c.bin").toString(),
            "--name",
            "x",
            "--out",
            tmp.toString()),
        "cannot read checkpoint");
    assertOneLineError(
        run(
            "train",
            "x",
            "--init-from",
            tmp.resolve("absent.onnx").toString(),
            "--out",
            tmp.toString()),
        "no model file");
    assertOneLineError(
        run("train", "x", "--loss", "l1", "--arch", "conv-upsample", "--out", tmp.toString()),
        "unknown loss 'l1'");
    assertOneLineError(
        run("train", "x", "--loss", "mse", "--arch", "conv-upsample", "--out", tmp.toString()),
        "the mse loss is for residual architectures");
    assertOneLineError(
        run("train", "x", "--loss", "bce", "--arch", "unet-residual", "--out", tmp.toString()),
        "trains with the mse or psnr loss");
  }

  /** The default recipe fine-tunes conv-upsample-bce: without it, training says what to run. */
  @Test
  void aFineTuningRecipeNeedsItsStartingModel() {
    ModelZoo.Recipe r = ModelZoo.recipe(ModelZoo.DEFAULT_MODEL);
    assertEquals("conv-upsample-bce", r.initFrom());
    assertEquals(TrainConfig.Loss.PSNR, r.config().loss());
    assertOneLineError(
        run("train", ModelZoo.DEFAULT_MODEL, "--out", tmp.toString()),
        "run 'train conv-upsample-bce' first");
  }
}
