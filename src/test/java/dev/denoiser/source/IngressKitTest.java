package dev.denoiser.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parser and the overload policies every source shares. */
class IngressKitTest {
  @Test
  void integersParseOnceForEverySource() {
    assertNull(Params.integer("width", null, ErrorCode.INVALID_FRAME));
    assertNull(Params.integer("width", "  ", ErrorCode.INVALID_FRAME));
    assertEquals(28, Params.integer("width", " 28 ", ErrorCode.INVALID_FRAME));
    DenoiserException e =
        assertThrows(
            DenoiserException.class,
            () -> Params.integer("header 'width'", "twenty-eight", ErrorCode.INVALID_FRAME));
    assertEquals(ErrorCode.INVALID_FRAME, e.code());
    assertEquals("header 'width' must be an integer, got 'twenty-eight'", e.getMessage());
    DenoiserException ws =
        assertThrows(
            DenoiserException.class,
            () -> Params.integer("window", "x".repeat(100), ErrorCode.BAD_REQUEST));
    assertEquals(ErrorCode.BAD_REQUEST, ws.code());
    assertTrue(ws.getMessage().endsWith("'" + "x".repeat(40) + "...'"), ws.getMessage());
  }

  @Test
  void flagsTakeTheUsualSpellings() {
    for (String t : List.of("true", "1", "YES")) {
      assertTrue(Params.bool("latent", t, ErrorCode.BAD_REQUEST), t);
    }
    for (String f : List.of("false", "0", "no", "")) {
      assertFalse(Params.bool("latent", f, ErrorCode.BAD_REQUEST), f);
    }
    assertFalse(Params.bool("latent", null, ErrorCode.BAD_REQUEST));
    assertEquals(
        ErrorCode.BAD_REQUEST,
        assertThrows(
                DenoiserException.class,
                () -> Params.bool("latent", "maybe", ErrorCode.BAD_REQUEST))
            .code());
  }

  @Test
  void kafkaKeepsEveryTransientRefusalAndNeverAnswersIt() {
    for (ErrorCode c :
        List.of(
            ErrorCode.OVERLOADED,
            ErrorCode.DEADLINE_EXCEEDED,
            ErrorCode.MODEL_NOT_READY,
            ErrorCode.SHUTTING_DOWN)) {
      assertTrue(OverloadPolicy.KAFKA.retries(c), c.name());
      assertEquals(0, OverloadPolicy.KAFKA.retryAfterSeconds(c));
    }
    assertFalse(
        OverloadPolicy.KAFKA.retries(ErrorCode.INVALID_FRAME),
        "bad frames are dead-lettered, not retried");
  }

  @Test
  void webSocketBacksOffFromTwoToFiftyMillisecondsOnOverloadOnly() {
    assertTrue(OverloadPolicy.WEBSOCKET.retries(ErrorCode.OVERLOADED));
    assertFalse(OverloadPolicy.WEBSOCKET.retries(ErrorCode.DEADLINE_EXCEEDED));
    long[] delays = new long[8];
    for (int i = 0; i < delays.length; i++) {
      delays[i] = OverloadPolicy.WEBSOCKET.delayMillis(i);
    }
    assertEquals(
        List.of(2L, 4L, 8L, 16L, 32L, 50L, 50L, 50L),
        java.util.Arrays.stream(delays).boxed().toList());
  }

  @Test
  void httpAnswersAtOnceWithRetryAfter() {
    assertFalse(
        OverloadPolicy.HTTP.retries(ErrorCode.OVERLOADED),
        "HTTP hands the refusal back to the caller");
    assertEquals(1, OverloadPolicy.HTTP.retryAfterSeconds(ErrorCode.OVERLOADED));
    assertEquals(1, OverloadPolicy.HTTP.retryAfterSeconds(ErrorCode.SHUTTING_DOWN));
    assertEquals(0, OverloadPolicy.HTTP.retryAfterSeconds(ErrorCode.INVALID_FRAME));
  }
}
