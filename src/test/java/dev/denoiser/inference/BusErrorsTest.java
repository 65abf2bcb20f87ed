package dev.denoiser.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Error codes cross the event bus by name, whatever their ordinal. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class BusErrorsTest {
  @Test
  void everyCodeComesBackAsItself(Vertx vertx, VertxTestContext ctx) {
    vertx
        .eventBus()
        .<String>consumer(
            "bus-errors-test",
            m -> BusErrors.fail(m, ErrorCode.valueOf(m.body()), "refused: " + m.body()));
    Checkpoint answered = ctx.checkpoint(ErrorCode.values().length);
    for (ErrorCode code : ErrorCode.values()) {
      vertx
          .eventBus()
          .request("bus-errors-test", code.name())
          .onComplete(
              ctx.failing(
                  t ->
                      ctx.verify(
                          () -> {
                            DenoiserException e =
                                BusErrors.toException(assertInstanceOf(ReplyException.class, t));
                            assertEquals(code, e.code());
                            assertEquals("refused: " + code.name(), e.getMessage());
                            assertEquals(code.httpStatus(), ((ReplyException) t).failureCode());
                            answered.flag();
                          })));
    }
  }

  @Test
  void aFailureWithoutACodeNameIsInternal(Vertx vertx, VertxTestContext ctx) {
    vertx.eventBus().<String>consumer("bus-errors-plain", m -> m.fail(3, "something else broke"));
    vertx
        .eventBus()
        .request("bus-errors-plain", "x")
        .onComplete(
            ctx.failing(
                t ->
                    ctx.verify(
                        () -> {
                          DenoiserException e = BusErrors.toException((ReplyException) t);
                          assertEquals(ErrorCode.INTERNAL, e.code());
                          assertEquals("something else broke", e.getMessage());
                          ctx.completeNow();
                        })));
  }
}
