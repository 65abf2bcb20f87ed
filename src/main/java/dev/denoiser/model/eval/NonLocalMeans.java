package dev.denoiser.model.eval;

import java.util.Locale;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.photo.Photo;

/**
 * OpenCV's non-local means ({@code fastNlMeansDenoising}, template window 7, search window 21;
 * {@code fastNlMeansDenoisingColored} with the same h for luminance and colour on RGB images). The
 * input is rounded to uint8, and so is the output (OpenCV works on 8-bit images). Create only when
 * {@link OpenCvSupport#available()}.
 */
public final class NonLocalMeans implements Denoiser {
  private final float h;

  public NonLocalMeans(double h) {
    if (!OpenCvSupport.available()) {
      throw new IllegalStateException(OpenCvSupport.problem());
    }
    this.h = (float) h;
  }

  /** OpenCV's worker thread count (its parallel loops). */
  public static int threads() {
    return org.opencv.core.Core.getNumThreads();
  }

  @Override
  public String name() {
    return String.format(Locale.ROOT, "non-local means h=%.1f", h);
  }

  @Override
  public Image denoise(Image noisy) {
    int w = noisy.width();
    int hh = noisy.height();
    int n = noisy.plane();
    int c = noisy.channels();
    if (c != 1 && c != 3) {
      throw new IllegalArgumentException("non-local means takes 1 or 3 channels, got " + c);
    }
    float[] d = noisy.data();
    byte[] buf = new byte[n * c];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < c; k++) {
        // interleaved, BGR order for OpenCV's colour version
        int plane = c == 3 ? 2 - k : k;
        buf[i * c + k] = (byte) Math.round(Math.min(255f, Math.max(0f, d[plane * n + i])));
      }
    }
    Mat src = new Mat(hh, w, c == 1 ? CvType.CV_8UC1 : CvType.CV_8UC3);
    Mat dst = new Mat();
    try {
      src.put(0, 0, buf);
      if (c == 1) {
        Photo.fastNlMeansDenoising(src, dst, h, 7, 21);
      } else {
        Photo.fastNlMeansDenoisingColored(src, dst, h, h, 7, 21);
      }
      dst.get(0, 0, buf);
    } finally {
      src.release();
      dst.release();
    }
    float[] out = new float[n * c];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < c; k++) {
        int plane = c == 3 ? 2 - k : k;
        out[plane * n + i] = buf[i * c + k] & 0xff;
      }
    }
    return new Image(w, hh, c, out);
  }
}
