package dev.denoiser.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An exported model reads back into the same trainable network; its ONNX header is as promised. */
class OnnxImportTest {
  @Test
  void weightsComeBackFromModelOnnx(@TempDir Path dir) throws Exception {
    NetSpec spec = new NetSpec("conv-transpose", 4, 8, 0, 1);
    ModelCard card;
    Weights w;
    try (NetModel m = NetModel.init(spec, 3)) {
      w = m.weights();
      card =
          Models.export(
              m,
              new ModelCard(
                  "t",
                  "ignored",
                  4,
                  null,
                  0,
                  0,
                  1,
                  0,
                  new JsonObject().put("noise", "gaussian:0.5")),
              dir);
    }
    assertEquals("conv-transpose", card.architecture());
    assertEquals(0, card.height());
    assertEquals(4, card.sizeMultiple());
    assertEquals(8, card.latentDim());
    assertEquals(4, card.version());
    try (NetModel back = Models.load(dir.resolve(ModelCard.MODEL_FILE))) {
      assertEquals(spec, back.spec());
      for (String k : w.asMap().keySet()) {
        assertArrayEquals(w.get(k).data(), back.weights().get(k).data(), k);
      }
    }
    ModelProto proto = ModelProto.parseFrom(Files.readAllBytes(dir.resolve(ModelCard.MODEL_FILE)));
    assertEquals(OnnxExporter.OPSET, proto.getOpsetImport(0).getVersion());
    assertEquals(
        "N",
        proto.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
    assertEquals(
        "H",
        proto.getGraph().getInput(0).getType().getTensorType().getShape().getDim(2).getDimParam());
    Map<String, String> meta = new HashMap<>();
    proto.getMetadataPropsList().forEach(p -> meta.put(p.getKey(), p.getValue()));
    assertEquals("conv-transpose", meta.get("architecture"));
    assertEquals("gaussian:0.5", meta.get("noise"));
    assertEquals("4", meta.get("version"));
    assertEquals(
        2,
        proto.getGraph().getNodeList().stream()
            .filter(n -> n.getOpType().equals("ConvTranspose"))
            .count());
  }

  @Test
  void aFileThatIsNotOurModelIsRefused(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("model.onnx");
    Files.write(f, new byte[] {1, 2, 3, 4, 5});
    assertThrows(ModelException.class, () -> OnnxImporter.read(f));
    assertThrows(ModelException.class, () -> OnnxImporter.read(dir.resolve("absent.onnx")));
  }
}
