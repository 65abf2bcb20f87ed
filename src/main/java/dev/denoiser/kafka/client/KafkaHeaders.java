package dev.denoiser.kafka.client;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.source.Params;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The record header names of the Kafka wire format (the README documents them), and helpers to read
 * and write them as UTF-8 text.
 *
 * <ul>
 *   <li>Input ({@code frames.noisy}): {@link #CONTENT_TYPE}, {@link #WIDTH}/{@link #HEIGHT} for raw
 *       formats, {@link #FRAME_ID}, optionally {@link #MODEL}.
 *   <li>Denoised output: {@link #CONTENT_TYPE}, {@link #WIDTH}, {@link #HEIGHT}, {@link #FRAME_ID},
 *       {@link #MODEL}, {@link #MODEL_VERSION}, {@link #QUEUE_US}, {@link #COMPUTE_US}, {@link
 *       #BATCH_SIZE}, {@link #E2E_US}, {@link #NOISE_SIGMA}.
 *   <li>Latent output: {@link #LATENT_DIM}, {@link #FRAME_ID}, {@link #MODEL}, {@link
 *       #MODEL_VERSION}, {@link #NOISE_SIGMA}.
 *   <li>Dead letter: the input's headers plus {@link #ERROR_CODE}, {@link #ERROR_MESSAGE}, {@link
 *       #SOURCE_TOPIC}, {@link #SOURCE_PARTITION}, {@link #SOURCE_OFFSET}.
 * </ul>
 */
public final class KafkaHeaders {
  public static final String CONTENT_TYPE = "content-type";
  public static final String WIDTH = "width";
  public static final String HEIGHT = "height";
  public static final String FRAME_ID = "frame-id";
  public static final String MODEL = "model";
  public static final String MODEL_VERSION = "model-version";

  /** Microseconds the frame waited in the batcher's queue. */
  public static final String QUEUE_US = "queue-us";

  /** Microseconds of the ONNX Runtime run of the frame's whole batch. */
  public static final String COMPUTE_US = "compute-us";

  public static final String BATCH_SIZE = "batch-size";

  /** Microseconds from the input record's timestamp to the output record's creation. */
  public static final String E2E_US = "e2e-us";

  public static final String LATENT_DIM = "latent-dim";

  /** Estimated Gaussian noise sigma of the input frame, 0-255 scale, two decimals. */
  public static final String NOISE_SIGMA = "noise-sigma";

  public static final String ERROR_CODE = "error-code";
  public static final String ERROR_MESSAGE = "error-message";
  public static final String SOURCE_TOPIC = "source-topic";
  public static final String SOURCE_PARTITION = "source-partition";
  public static final String SOURCE_OFFSET = "source-offset";

  /** On a dead letter cut to fit {@code kafka.maxRecordBytes}: "true". */
  public static final String TRUNCATED = "truncated";

  /** On a truncated dead letter: the size in bytes of the original value. */
  public static final String ORIGINAL_SIZE = "original-size";

  private KafkaHeaders() {}

  /**
   * A record key as text, for logs and the frame's stream id: a {@code String} as it is, bytes
   * decoded as UTF-8 (malformed bytes become U+FFFD; the key itself travels on as bytes), else
   * null.
   */
  public static String keyText(Object key) {
    if (key instanceof byte[] b) {
      return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }
    return key == null ? null : key.toString();
  }

  /** The last value of header {@code name} as UTF-8 text, or null. */
  public static String text(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /**
   * The last value of header {@code name} as a decimal int, or null when absent.
   *
   * @throws DenoiserException INVALID_FRAME when present but not a number
   */
  public static Integer integer(Headers headers, String name) {
    return Params.integer("header '" + name + "'", text(headers, name), ErrorCode.INVALID_FRAME);
  }

  /** Adds a UTF-8 text header unless {@code value} is null. */
  public static void put(Headers headers, String name, Object value) {
    if (value != null) {
      headers.add(name, value.toString().getBytes(StandardCharsets.UTF_8));
    }
  }
}
