package dev.denoiser.hotswap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.model.ModelCard;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ModelEnvelopeTest {
  final ModelCard card =
      new ModelCard(
          "m", "test-conv", 7, "abc", 0, 0, 4, 16, new JsonObject().put("noise", "gaussian:0.3"));

  @Test
  void roundTripsCardAndBytesInTheDocumentedLayout() {
    byte[] onnx = {1, 2, 3, 4, 5};
    byte[] v = new ModelEnvelope(card, onnx).encode();
    assertEquals("DNME", new String(v, 0, 4, StandardCharsets.US_ASCII));
    assertEquals(1, v[4]);
    int len = ByteBuffer.wrap(v, 5, 4).getInt();
    assertEquals(card.toJson(), new JsonObject(new String(v, 9, len, StandardCharsets.UTF_8)));
    assertArrayEquals(onnx, Arrays.copyOfRange(v, 9 + len, v.length));
    ModelEnvelope back = ModelEnvelope.decode(v);
    assertEquals(card.toJson(), back.card().toJson());
    assertArrayEquals(onnx, back.onnx());
  }

  @Test
  void garbageIsATypedRejectionWithTheReason() {
    byte[] good = new ModelEnvelope(card, new byte[] {9}).encode();
    assertRejected(null, "too short");
    assertRejected("hello world, not a model".getBytes(StandardCharsets.UTF_8), "magic");
    byte[] layout = good.clone();
    layout[4] = 9;
    assertRejected(layout, "layout 9");
    byte[] longCard = good.clone();
    ByteBuffer.wrap(longCard, 5, 4).putInt(1 << 30);
    assertRejected(longCard, "runs past the end");
    byte[] notJson = good.clone();
    notJson[9] = '[';
    assertRejected(notJson, "not valid JSON");
    byte[] noVersion = new ModelEnvelope(card.withVersion(0), new byte[] {9}).encode();
    assertRejected(noVersion, "version");
  }

  private static void assertRejected(byte[] value, String reason) {
    DenoiserException e = assertThrows(DenoiserException.class, () -> ModelEnvelope.decode(value));
    assertEquals(ErrorCode.MODEL_REJECTED, e.code());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }
}
