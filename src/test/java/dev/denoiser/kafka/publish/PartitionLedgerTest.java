package dev.denoiser.kafka.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The in-order completion buffer on its own: release order and the commit point. */
class PartitionLedgerTest {
  private final PartitionLedger ledger = new PartitionLedger(new TopicPartition("t", 0));

  private List<Slot> add(long... offsets) {
    List<Slot> out = new ArrayList<>();
    for (long o : offsets) {
      out.add(
          ledger.add(
              new ConsumerRecord<>(
                  "t",
                  0,
                  o,
                  "k".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                  new byte[] {1})));
    }
    return out;
  }

  private static List<Long> offsets(List<Slot> slots) {
    return slots.stream().map(Slot::offset).toList();
  }

  @Test
  void releasesOnlyTheReadyFrontInOffsetOrder() {
    List<Slot> s = add(10, 11, 12, 13);
    s.get(2).ready(List.of(), false);
    s.get(1).ready(List.of(), false);
    assertEquals(
        List.of(), offsets(ledger.takeReady()), "offset 10 is not ready, so nothing may leave");
    s.get(0).ready(List.of(), true);
    assertEquals(List.of(10L, 11L, 12L), offsets(ledger.takeReady()));
    s.get(3).ready(List.of(), false);
    assertEquals(List.of(13L), offsets(ledger.takeReady()));
    assertEquals(List.of(), offsets(ledger.takeReady()), "a slot is released once");
  }

  @Test
  void commitsOnlyTheContiguousDonePrefix() {
    List<Slot> s = add(5, 6, 8);
    s.forEach(x -> x.ready(List.of(), false));
    ledger.takeReady();
    ledger.done(s.get(1));
    ledger.done(s.get(2));
    assertEquals(-1, ledger.popDone(), "offset 5 is not acknowledged: nothing to commit");
    assertEquals(5, ledger.firstOffset());
    ledger.done(s.get(0));
    assertEquals(9, ledger.popDone(), "commit one past the last record (gaps in offsets are fine)");
    assertEquals(0, ledger.size());
    assertEquals(-1, ledger.firstOffset());
  }

  @Test
  void firstOffsetIsWhereARewindStarts() {
    assertEquals(-1, ledger.lastOffset());
    List<Slot> s = add(0, 1, 2);
    assertEquals(2, ledger.lastOffset(), "records polled again up to here are already held");
    s.get(0).ready(List.of(), false);
    ledger.takeReady();
    assertTrue(ledger.hasSent());
    assertEquals(0, ledger.firstOffset());
    ledger.done(s.get(0));
    ledger.popDone();
    assertEquals(1, ledger.firstOffset());
  }

  @Test
  void refusesRecordsOutOfOrderAndDoubleCompletion() {
    List<Slot> s = add(3);
    assertThrows(IllegalArgumentException.class, () -> add(3));
    s.get(0).ready(List.of(), false);
    assertThrows(IllegalStateException.class, () -> s.get(0).ready(List.of(), false));
    assertThrows(
        IllegalStateException.class, () -> ledger.done(s.get(0)), "only SENT slots can be done");
  }
}
