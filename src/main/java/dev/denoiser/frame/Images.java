package dev.denoiser.frame;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * PNG and JPEG to planes of float32 in [0,1] and back, through {@code javax.imageio}. The size is
 * read from the header first and checked by the caller's limit before any pixel is decoded, so a
 * small file that declares a huge image costs nothing. Gray images stay one channel; anything with
 * colour becomes three (R, G, B planes); alpha is dropped.
 */
final class Images {
  /** Checks a declared height and width, throwing if they are over the limit. */
  interface SizeCheck {
    void check(long height, long width);
  }

  private Images() {}

  static Frame decode(
      byte[] bytes, String format, SizeCheck limit, String streamId, String frameId) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
      if (in == null || !readers.hasNext()) {
        throw new DenoiserException(ErrorCode.INVALID_FRAME, "no " + format + " decoder");
      }
      ImageReader r = readers.next();
      try {
        r.setInput(in, true, true);
        limit.check(r.getHeight(0), r.getWidth(0));
        return toFrame(r.read(0), streamId, frameId);
      } finally {
        r.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof DenoiserException d) {
        throw d;
      }
      throw new DenoiserException(
          ErrorCode.INVALID_FRAME,
          "undecodable " + format.toUpperCase(java.util.Locale.ROOT) + ": " + oneLine(e));
    }
  }

  static Frame toFrame(BufferedImage img, String streamId, String frameId) {
    int w = img.getWidth();
    int h = img.getHeight();
    int n = w * h;
    if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
      byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
      float[] px = new float[n];
      for (int i = 0; i < n; i++) {
        px[i] = (data[i] & 0xff) / 255f;
      }
      return new Frame(px, h, w, streamId, frameId, 1);
    }
    java.awt.image.Raster raster = img.getRaster();
    if (!(img.getColorModel() instanceof java.awt.image.IndexColorModel)
        && raster.getNumBands() <= 2) {
      // Gray (16-bit, or with alpha): the stored values, not getRGB's colour-space conversion.
      float max = (1 << img.getColorModel().getComponentSize(0)) - 1;
      float[] px = new float[n];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          px[y * w + x] = raster.getSample(x, y, 0) / max;
        }
      }
      return new Frame(px, h, w, streamId, frameId, 1);
    }
    if (!(img.getColorModel() instanceof java.awt.image.IndexColorModel)
        && raster.getNumBands() >= 3
        && img.getColorModel().getColorSpace().isCS_sRGB()) {
      // RGB (8 or 16 bit, with or without alpha): the stored samples, a row at a time; getRGB's
      // per-pixel colour model calls take a minute for a 16-bit 4096 x 4096 image
      float[] px = new float[3 * n];
      int[] row = new int[w];
      for (int b = 0; b < 3; b++) {
        float max = (1 << img.getColorModel().getComponentSize(b)) - 1;
        for (int y = 0; y < h; y++) {
          raster.getSamples(0, y, w, 1, b, row);
          int at = b * n + y * w;
          for (int x = 0; x < w; x++) {
            px[at + x] = row[x] / max;
          }
        }
      }
      return new Frame(px, h, w, streamId, frameId, 3);
    }
    boolean gray = img.getColorModel().getNumColorComponents() == 1;
    float[] px = new float[(gray ? 1 : 3) * n];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      img.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int p = row[x];
        int i = y * w + x;
        if (gray) {
          px[i] = (p & 0xff) / 255f;
        } else {
          px[i] = ((p >> 16) & 0xff) / 255f;
          px[n + i] = ((p >> 8) & 0xff) / 255f;
          px[2 * n + i] = (p & 0xff) / 255f;
        }
      }
    }
    return new Frame(px, h, w, streamId, frameId, gray ? 1 : 3);
  }

  /** An 8-bit gray or RGB image of the frame. */
  static BufferedImage toImage(Frame f) {
    int n = f.height() * f.width();
    float[] px = f.pixels();
    if (f.channels() == 1) {
      BufferedImage img = new BufferedImage(f.width(), f.height(), BufferedImage.TYPE_BYTE_GRAY);
      byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
      for (int i = 0; i < n; i++) {
        data[i] = (byte) FrameCodec.toByte(px[i]);
      }
      return img;
    }
    BufferedImage img = new BufferedImage(f.width(), f.height(), BufferedImage.TYPE_3BYTE_BGR);
    byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < n; i++) {
      data[3 * i] = (byte) FrameCodec.toByte(px[2 * n + i]);
      data[3 * i + 1] = (byte) FrameCodec.toByte(px[n + i]);
      data[3 * i + 2] = (byte) FrameCodec.toByte(px[i]);
    }
    return img;
  }

  static byte[] encodePng(Frame f) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + f.pixelCount() / 2);
    try {
      ImageIO.write(toImage(f), "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] encodeJpeg(Frame f, float quality) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + f.pixelCount() / 8);
    try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(ios);
      ImageWriteParam p = writer.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(quality);
      writer.write(null, new IIOImage(toImage(f), null, null), p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.replace('\n', ' ');
  }
}
