package dev.denoiser.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.config.Settings;
import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class RunBookTest {
  final TrainParams p = TrainParams.defaults(Settings.defaultsOnly());

  @Test
  void oneRunsAndQueueSizeWaitTheRestAreRefusedAsBusy() {
    RunBook book = new RunBook(1);
    TrainingRun a = book.submit("m", p, "admin");
    TrainingRun b = book.submit("m", p, "admin");
    DenoiserException busy =
        assertThrows(DenoiserException.class, () -> book.submit("m", p, "admin"));
    assertEquals(ErrorCode.TRAINER_BUSY, busy.code());
    assertSame(a, book.next());
    assertEquals(TrainingRun.State.RUNNING, a.state());
    assertNull(book.next(), "one run at a time");
    assertThrows(DenoiserException.class, () -> book.submit("m", p, "admin"));
    a.finish(TrainingRun.State.PROMOTED, new JsonObject());
    book.done(a);
    assertSame(b, book.next());
    assertTrue(book.pending("m"));
    assertEquals(b.id(), book.list().get(0).id(), "newest first");
    assertSame(a, book.get(a.id()));
    assertEquals(
        ErrorCode.RUN_NOT_FOUND,
        assertThrows(DenoiserException.class, () -> book.get("nope")).code());
  }
}
