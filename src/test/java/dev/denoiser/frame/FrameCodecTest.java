package dev.denoiser.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
  final FrameCodec codec = new FrameCodec(100 * 100);

  @Test
  void roundTripsEveryFormat() {
    float[] px = new float[6 * 5];
    for (int i = 0; i < px.length; i++) {
      px[i] = i / 29f;
    }
    Frame f = new Frame(px, 6, 5);
    for (MediaType t : MediaType.values()) {
      Frame back = codec.decode(t, FrameCodec.encode(f, t), 5, 6, "s", "id");
      assertEquals(6, back.height());
      assertEquals(5, back.width());
      double tol = t == MediaType.FLOAT32 ? 0 : 0.5 / 255;
      for (int i = 0; i < px.length; i++) {
        assertEquals(px[i], back.pixels()[i], tol + 1e-7, t + " pixel " + i);
      }
    }
  }

  @Test
  void colourPngsBecomeGrayLuma() throws Exception {
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, 0xff0000);
    img.setRGB(1, 0, 0x00ff00);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    Frame f = codec.decode(MediaType.PNG, out.toByteArray(), null, null, null, null);
    assertEquals(0.299, f.pixels()[0], 1e-3);
    assertEquals(0.587, f.pixels()[1], 1e-3);
  }

  @Test
  void refusesWhatCannotBeAFrame() {
    assertCode(ErrorCode.INVALID_FRAME, () -> codec.decode(MediaType.GRAY8, new byte[10], 3, 3, null, null));
    assertCode(ErrorCode.INVALID_FRAME, () -> codec.decode(MediaType.GRAY8, new byte[0], 0, 3, null, null));
    assertCode(ErrorCode.INVALID_FRAME, () -> codec.decode(MediaType.GRAY8, new byte[9], -3, -3, null, null));
    assertCode(ErrorCode.INVALID_FRAME, () -> codec.decode(MediaType.GRAY8, new byte[9], null, 3, null, null));
    assertCode(ErrorCode.PAYLOAD_TOO_LARGE, () -> codec.decode(MediaType.GRAY8, new byte[101 * 100], 101, 100, null, null));
    assertCode(ErrorCode.INVALID_FRAME, () -> codec.decode(MediaType.PNG, new byte[] {1, 2, 3}, null, null, null, null));
    assertCode(ErrorCode.UNSUPPORTED_MEDIA_TYPE, () -> MediaType.parse("text/plain"));
    assertCode(ErrorCode.UNSUPPORTED_MEDIA_TYPE, () -> MediaType.parse(null));
    float[] inf = {0, Float.POSITIVE_INFINITY, 0, 0};
    DenoiserException e = assertCode(ErrorCode.INVALID_FRAME,
        () -> codec.decode(MediaType.FLOAT32, FrameCodec.toFloat32(inf), 2, 2, null, null));
    assertTrue(e.getMessage().contains("infinite"));
  }

  @Test
  void outOfRangeFloatsAreClipped() {
    Frame f = codec.decode(MediaType.FLOAT32, FrameCodec.toFloat32(new float[] {-0.5f, 1.5f}), 2, 1, null, null);
    assertEquals(0f, f.pixels()[0]);
    assertEquals(1f, f.pixels()[1]);
  }

  static DenoiserException assertCode(ErrorCode code, org.junit.jupiter.api.function.Executable r) {
    DenoiserException e = assertThrows(DenoiserException.class, r);
    assertEquals(code, e.code(), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), "one line");
    return e;
  }
}
