package dev.denoiser.frame;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import java.util.Locale;

/**
 * The frame encodings the service reads and writes.
 *
 * <ul>
 *   <li>{@code image/png}: gray or colour PNG (8 or 16 bits; alpha is dropped); a gray frame goes
 *       out as an 8-bit gray PNG, a colour one as 8-bit RGB.
 *   <li>{@code image/jpeg}: baseline JPEG, gray or colour, in and out (quality 95 out).
 *   <li>{@code application/x-gray8}: raw 8-bit gray, row-major, {@code width*height} bytes; the
 *       width and height travel beside it (query parameters, headers). A colour frame asked for in
 *       gray8 goes out as its BT.601 luma.
 *   <li>{@code application/x-rgb8}: raw 8-bit RGB, interleaved (R, G, B per pixel), row-major,
 *       {@code 3*width*height} bytes; width and height beside it. A gray frame asked for in rgb8
 *       goes out with R = G = B.
 *   <li>{@code application/x-float32}: raw little-endian float32 in [0,1], row-major, {@code
 *       4*width*height} bytes for gray or {@code 12*width*height} for colour (the R plane, then G,
 *       then B); width and height beside it.
 * </ul>
 */
public enum MediaType {
  PNG("image/png", "png"),
  JPEG("image/jpeg", "jpeg"),
  GRAY8("application/x-gray8", "gray8"),
  RGB8("application/x-rgb8", "rgb8"),
  FLOAT32("application/x-float32", "float32");

  private static final String KNOWN =
      "image/png, image/jpeg, application/x-gray8, "
          + "application/x-rgb8 or application/x-float32";
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
    return this != PNG && this != JPEG;
  }

  /**
   * Parses a content type ({@code image/png; charset=..}) or a short name ({@code png}, {@code
   * gray8}, {@code float32}).
   *
   * @throws DenoiserException UNSUPPORTED_MEDIA_TYPE for a missing or unknown type
   */
  public static MediaType parse(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      throw new DenoiserException(
          ErrorCode.UNSUPPORTED_MEDIA_TYPE, "missing content type; use " + KNOWN);
    }
    String t = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (t.equals("image/jpg") || t.equals("jpg")) {
      return JPEG;
    }
    for (MediaType m : values()) {
      if (m.mime.equals(t) || m.shortName.equals(t)) {
        return m;
      }
    }
    throw new DenoiserException(
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        "unsupported content type '" + contentType + "'; use " + KNOWN);
  }

  /**
   * Picks the output type from an HTTP Accept header: the first type we can write, else {@code
   * fallback}.
   */
  public static MediaType fromAccept(String accept, MediaType fallback) {
    if (accept == null || accept.isBlank()) {
      return fallback;
    }
    for (String part : accept.split(",")) {
      String t = part.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      if (t.equals("image/jpg")) {
        return JPEG;
      }
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
