package dev.denoiser.frame;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import java.util.Locale;

/**
 * The frame encodings the service reads and writes.
 *
 * <ul>
 *   <li>{@code image/png}: grayscale PNG; colour PNGs are converted to gray (ITU-R BT.601 luma) on
 *       the way in, and outputs are always 8-bit gray PNGs.
 *   <li>{@code application/x-gray8}: raw 8-bit gray, row-major, {@code width*height} bytes; the
 *       width and height travel beside it (query parameters, headers).
 *   <li>{@code application/x-float32}: raw little-endian float32 in [0,1], row-major,
 *       {@code 4*width*height} bytes; width and height beside it.
 * </ul>
 */
public enum MediaType {
  PNG("image/png", "png"),
  GRAY8("application/x-gray8", "gray8"),
  FLOAT32("application/x-float32", "float32");

  private final String mime;
  private final String shortName;

  MediaType(String mime, String shortName) {
    this.mime = mime;
    this.shortName = shortName;
  }

  public String mime() {
    return mime;
  }

  public String shortName() {
    return shortName;
  }

  /** Raw formats need the width and height beside the bytes. */
  public boolean raw() {
    return this != PNG;
  }

  /**
   * Parses a content type ({@code image/png; charset=..}) or a short name ({@code png},
   * {@code gray8}, {@code float32}).
   *
   * @throws DenoiserException UNSUPPORTED_MEDIA_TYPE for a missing or unknown type
   */
  public static MediaType parse(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      throw new DenoiserException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "missing content type; use image/png, application/x-gray8 or application/x-float32");
    }
    String t = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    for (MediaType m : values()) {
      if (m.mime.equals(t) || m.shortName.equals(t)) {
        return m;
      }
    }
    throw new DenoiserException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        "unsupported content type '" + contentType + "'; use image/png, application/x-gray8 or application/x-float32");
  }

  /**
   * Picks the output type from an HTTP Accept header: the first type we can write, else {@code fallback}.
   */
  public static MediaType fromAccept(String accept, MediaType fallback) {
    if (accept == null || accept.isBlank()) {
      return fallback;
    }
    for (String part : accept.split(",")) {
      String t = part.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      if (t.equals("*/*") || t.equals("image/*")) {
        return t.equals("image/*") ? PNG : fallback;
      }
      for (MediaType m : values()) {
        if (m.mime.equals(t)) {
          return m;
        }
      }
    }
    return fallback;
  }
}
