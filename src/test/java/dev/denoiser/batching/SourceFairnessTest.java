package dev.denoiser.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.config.Settings;
import dev.denoiser.frame.Frame;
import dev.denoiser.inference.InferenceRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reserved queue slots and weighted turns per source, and the per-batch pixel budget. */
class SourceFairnessTest {
  private static final Map<String, Integer> WEIGHTS = Map.of("http", 2, "websocket", 2, "kafka", 1);

  private static ModelQueue.Entry<Integer> entry(int id, String source, int h, int w) {
    return new ModelQueue.Entry<>(
        id, new InferenceRequest(new Frame(new float[h * w], h, w), "m", 0, 0), id, source);
  }

  @Test
  void aKafkaBacklogCannotTakeTheSlotsReservedForInteractiveCallers() {
    BatchPolicy p = new BatchPolicy(8, 0, 100, 0, Long.MAX_VALUE, WEIGHTS);
    assertEquals(40, p.reserved("http"));
    assertEquals(20, p.reserved("kafka"));
    assertEquals(20, p.mostFor("kafka"));
    ModelQueue<Integer> q = new ModelQueue<>(p);
    int kafka = 0;
    while (q.offer(entry(kafka, "kafka", 4, 4))) {
      kafka++;
    }
    assertEquals(
        20, kafka, "kafka gets its reserved slots and no more while the others' are unused");
    for (int i = 0; i < 40; i++) {
      assertTrue(q.offer(entry(1000 + i, "http", 4, 4)), "http slot " + i);
    }
    for (int i = 0; i < 40; i++) {
      assertTrue(q.offer(entry(2000 + i, "websocket", 4, 4)), "websocket slot " + i);
    }
    assertFalse(q.offer(entry(3000, "http", 4, 4)), "the queue is full");
    assertEquals(100, q.size());
  }

  @Test
  void slotsLeftOverByRoundingAreFreeForWhoeverComes() {
    // weights 1:1:1 of 10 slots reserve 3 each; the 10th is nobody's
    ModelQueue<Integer> q =
        new ModelQueue<>(
            new BatchPolicy(
                8, 0, 10, 0, Long.MAX_VALUE, Map.of("http", 1, "websocket", 1, "kafka", 1)));
    int kafka = 0;
    while (q.offer(entry(kafka, "kafka", 4, 4))) {
      kafka++;
    }
    assertEquals(4, kafka, "its 3 and the free one");
    int http = 0;
    while (q.offer(entry(100 + http, "http", 4, 4))) {
      http++;
    }
    assertEquals(3, http, "http still has its 3");
  }

  @Test
  void batchesAreLedInWeightedTurnSoKafkaCannotHoldEveryBatch() {
    ModelQueue<Integer> q =
        new ModelQueue<>(new BatchPolicy(4, 0, 1000, 0, Long.MAX_VALUE, WEIGHTS));
    for (int i = 0; i < 150; i++) {
      q.offer(entry(i, "kafka", 4, 4)); // a backlog: 200 are reserved for kafka, these all fit
    }
    for (int i = 0; i < 8; i++) {
      q.offer(entry(1000 + i, "http", 4, 4)); // arrived after the whole backlog
    }
    int batchesUntilHttpDone = 0;
    int httpSeen = 0;
    while (httpSeen < 8) {
      List<ModelQueue.Entry<Integer>> b = q.nextBatch(0, e -> {});
      httpSeen += (int) b.stream().filter(e -> e.source().equals("http")).count();
      batchesUntilHttpDone++;
    }
    assertTrue(
        batchesUntilHttpDone <= 3,
        "http's 8 frames ran within 3 batches despite 150 older kafka frames: "
            + batchesUntilHttpDone);
    // kafka still gets its turns
    List<ModelQueue.Entry<Integer>> next = q.nextBatch(0, e -> {});
    assertEquals("kafka", next.get(0).source());
  }

  @Test
  void aBatchStaysWithinItsPixelBudgetAndALargeFrameRunsAlone() {
    ModelQueue<Integer> q = new ModelQueue<>(new BatchPolicy(64, 0, 100, 0, 1000, Map.of()));
    for (int i = 0; i < 10; i++) {
      q.offer(entry(i, "http", 10, 30)); // 300 values each
    }
    assertEquals(3, q.nextBatch(0, e -> {}).size(), "3 x 300 = 900 <= 1000 < 4 x 300");
    ModelQueue<Integer> big = new ModelQueue<>(new BatchPolicy(64, 0, 100, 0, 1000, Map.of()));
    big.offer(entry(1, "http", 40, 40));
    big.offer(entry(2, "http", 40, 40));
    assertEquals(1, big.nextBatch(0, e -> {}).size(), "a frame over the budget runs alone");
    assertEquals(1, big.nextBatch(0, e -> {}).size());
  }

  @Test
  void weightsParseFromTheSetting() {
    BatchPolicy p = BatchPolicy.from(Settings.defaultsOnly());
    assertEquals(Map.of("http", 2, "websocket", 2, "kafka", 1), p.sourceWeights());
    assertEquals(8L << 20, p.maxBatchPixels());
    assertThrows(IllegalArgumentException.class, () -> BatchPolicy.parseWeights("kafka=0"));
    assertThrows(IllegalArgumentException.class, () -> BatchPolicy.parseWeights("kafka=x"));
  }
}
