package com.eucalyptus.clc.compute.instances;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.eucalyptus.clc.cluster.ClusterClient.VmType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CapacityLedgerTest {
  static final VmType SMALL = new VmType("m1.small", 1, 128, 2);
  static final VmType LARGE = new VmType("m1.large", 2, 512, 10);
  static final List<VmType> TYPES = List.of(SMALL, LARGE);

  @Test
  void concurrentRequestsNeverTakeMoreThanTheClusterHas() throws Exception {
    CapacityLedger ledger = new CapacityLedger(c -> Instant.EPOCH);
    Map<String, Integer> available = Map.of("m1.small", 5, "m1.large", 1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<CapacityLedger.Hold>> tries = new ArrayList<>();
    for (int k = 0; k < 8; k++) {
      tries.add(pool.submit(() -> {
        go.await();
        return ledger.reserve("c1", available, TYPES, SMALL, 2, 2);
      }));
    }
    go.countDown();
    int granted = 0;
    for (Future<CapacityLedger.Hold> f : tries) {
      CapacityLedger.Hold h = f.get();
      if (h != null) {
        granted += h.count();
      }
    }
    pool.shutdown();
    assertEquals(4, granted, "two holds of two fit in five; the eight requests held their runs in flight");
    assertEquals(1, ledger.free("c1", available, TYPES, SMALL));
    assertEquals(0, ledger.free("c1", available, TYPES, LARGE), "four small ones use a large one's room too");
  }

  @Test
  void maxIsCutToWhatFitsAndMinIsAllOrNothing() {
    CapacityLedger ledger = new CapacityLedger(c -> Instant.EPOCH);
    Map<String, Integer> available = Map.of("m1.small", 3);
    assertNull(ledger.reserve("c1", available, TYPES, SMALL, 4, 6));
    CapacityLedger.Hold h = ledger.reserve("c1", available, TYPES, SMALL, 1, 6);
    assertNotNull(h);
    assertEquals(3, h.count());
    assertNull(ledger.reserve("c1", available, TYPES, SMALL, 1, 1));
    assertNotNull(ledger.reserve("c2", available, TYPES, SMALL, 1, 1), "another cluster has its own room");
    h.release();
    assertEquals(3, ledger.free("c1", available, TYPES, SMALL));
  }

  @Test
  void aFinishedRunIsHeldUntilAResourcePollSentAfterItComesBack() throws Exception {
    AtomicReference<Instant> counted = new AtomicReference<>(Instant.EPOCH);
    CapacityLedger ledger = new CapacityLedger(c -> counted.get());
    Map<String, Integer> before = Map.of("m1.small", 2);
    CapacityLedger.Hold h = ledger.reserve("c1", before, TYPES, SMALL, 1, 2);
    Instant sentBeforeTheRunEnded = Instant.now();
    Thread.sleep(5);
    h.finished(1); // the CC started one of the two
    assertEquals(1, ledger.free("c1", before, TYPES, SMALL));
    counted.set(sentBeforeTheRunEnded); // a poll already under way when the run finished does not count it
    assertEquals(1, ledger.free("c1", before, TYPES, SMALL));
    Thread.sleep(5);
    counted.set(Instant.now()); // a poll sent after it: its numbers include the instance
    assertEquals(1, ledger.free("c1", Map.of("m1.small", 1), TYPES, SMALL));
    assertEquals(0, ledger.held("c1"));
  }

  @Test
  void aHoldOfOneTypeTakesItsShareOfAnother() {
    CapacityLedger ledger = new CapacityLedger(c -> Instant.EPOCH);
    Map<String, Integer> available = Map.of("m1.small", 8, "m1.large", 2);
    ledger.reserve("c1", available, TYPES, LARGE, 1, 1);
    // a large one needs 2 small ones' cores, 4 of their memory and 5 of their disk: it takes 5
    assertEquals(3, ledger.free("c1", available, TYPES, SMALL));
    assertEquals(1, ledger.free("c1", available, TYPES, LARGE));
  }
}
