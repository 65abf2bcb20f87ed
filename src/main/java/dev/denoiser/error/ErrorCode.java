package dev.denoiser.error;

/**
 * Every error a client can see. Sources map them to their transport: an HTTP status, a WebSocket
 * JSON error message, or the {@code error-code} header of a Kafka dead letter.
 */
public enum ErrorCode {
  /** Bytes that do not decode, a length that does not match the shape, NaN/Inf, bad sizes. */
  INVALID_FRAME(400),
  /** A content type no codec handles, or none at all. */
  UNSUPPORTED_MEDIA_TYPE(415),
  /**
   * A frame whose shape the model cannot take (fixed-size model, or not a multiple of its stride).
   */
  UNSUPPORTED_SHAPE(400),
  /** A request malformed in some other way (garbage JSON, missing parameter). */
  BAD_REQUEST(400),
  /** More pixels or bytes than the configured limit. */
  PAYLOAD_TOO_LARGE(413),
  MODEL_NOT_FOUND(404),
  /** No such endpoint. */
  NOT_FOUND(404),
  /**
   * The endpoint exists but not with this method; the answer's Allow header lists those it takes.
   */
  METHOD_NOT_ALLOWED(405),
  /** The request body did not arrive within http.bodyTimeoutMillis. */
  REQUEST_TIMEOUT(408),
  /** The model exists but is not loaded yet, or is being closed. */
  MODEL_NOT_READY(503),
  /** A bad model offered to the registry: checksum, parse, or input/output signature. */
  MODEL_REJECTED(422),
  /** The batcher's queue is full; retry later. */
  OVERLOADED(503),
  /** The request's deadline passed before it could run; it was not run. */
  DEADLINE_EXCEEDED(504),
  UNAUTHORIZED(401),
  FORBIDDEN(403),
  /** The service is shutting down and takes no new work. */
  SHUTTING_DOWN(503),
  /** The trainer's queue is full: a run is going and as many wait as it takes. */
  TRAINER_BUSY(409),
  /** No training run with that id (runs are kept in memory, the last few hundred). */
  RUN_NOT_FOUND(404),
  INTERNAL(500);

  private final int httpStatus;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
