package dev.denoiser.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.frame.Frame;
import dev.denoiser.inference.InferenceRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelQueueTest {
  private static InferenceRequest req(int h, int w, long deadlineNanos) {
    return new InferenceRequest(new Frame(new float[h * w], h, w), "m", deadlineNanos, 0);
  }

  @Test
  void batchesTakeOneShapeInArrivalOrderUpToMax() {
    ModelQueue<Integer> q = new ModelQueue<>(new BatchPolicy(3, 0, 100, 0));
    int[][] shapes = {{28, 28}, {32, 32}, {28, 28}, {28, 28}, {32, 32}, {28, 28}};
    for (int i = 0; i < shapes.length; i++) {
      assertTrue(q.offer(new ModelQueue.Entry<>(i, req(shapes[i][0], shapes[i][1], 0), i)));
    }
    List<Integer> first = ids(q.nextBatch(10, e -> {}));
    assertEquals(
        List.of(0, 2, 3), first, "oldest shape first, up to maxBatchSize, skipping other shapes");
    assertEquals(List.of(1, 4), ids(q.nextBatch(10, e -> {})));
    assertEquals(List.of(5), ids(q.nextBatch(10, e -> {})));
    assertTrue(q.isEmpty());
  }

  @Test
  void fullQueueRefuses() {
    ModelQueue<Integer> q = new ModelQueue<>(new BatchPolicy(8, 0, 2, 0));
    assertTrue(q.offer(new ModelQueue.Entry<>(1, req(4, 4, 0), 0)));
    assertTrue(q.offer(new ModelQueue.Entry<>(2, req(4, 4, 0), 0)));
    assertFalse(q.offer(new ModelQueue.Entry<>(3, req(4, 4, 0), 0)));
    assertEquals(2, q.size());
  }

  @Test
  void expiredRequestsNeverJoinABatch() {
    ModelQueue<Integer> q = new ModelQueue<>(new BatchPolicy(8, 0, 10, 0));
    q.offer(new ModelQueue.Entry<>(1, req(4, 4, 100), 0));
    q.offer(new ModelQueue.Entry<>(2, req(4, 4, 0), 0));
    q.offer(new ModelQueue.Entry<>(3, req(4, 4, 500), 0));
    List<Integer> expired = new ArrayList<>();
    List<Integer> batch = ids(q.nextBatch(200, e -> expired.add(e.item())));
    assertEquals(List.of(2, 3), batch);
    assertEquals(List.of(1), expired);
  }

  @Test
  void delayWaitsForAFullBatchOrTheOldestToAge() {
    ModelQueue<Integer> q = new ModelQueue<>(new BatchPolicy(2, 1000, 10, 0));
    q.offer(new ModelQueue.Entry<>(1, req(4, 4, 0), 0));
    assertFalse(q.ready(500_000), "0.5 ms < 1 ms delay and the batch is not full");
    assertEquals(500_000, q.nanosUntilReady(500_000));
    assertTrue(q.ready(1_000_000));
    q.offer(new ModelQueue.Entry<>(2, req(4, 4, 0), 10));
    assertTrue(q.ready(20), "a full batch is ready at once");
  }

  private static List<Integer> ids(List<ModelQueue.Entry<Integer>> entries) {
    return entries.stream().map(ModelQueue.Entry::item).toList();
  }
}
