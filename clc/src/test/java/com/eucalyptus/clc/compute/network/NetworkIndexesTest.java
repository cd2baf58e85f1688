package com.eucalyptus.clc.compute.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.clc.TestDatabases;
import com.eucalyptus.clc.persistence.Database;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The network indexes over a real HSQLDB: lowest free from 2, per (owner, group), freed and reused, kept over a restart. */
class NetworkIndexesTest {
  @TempDir
  Path home;

  @Test
  void lowestFreeFromTwoPerOwnerAndGroupFreedAndReused() {
    try (Database db = TestDatabases.fileDatabase(home)) {
      NetworkIndexes n = new NetworkIndexes(db);
      assertEquals(2, n.acquire("alice", "default"));
      assertEquals(3, n.acquire("bob", "default"), "another owner's group of the same name is another network");
      assertEquals(4, n.acquire("alice", "web"));
      assertEquals(2, n.acquire("alice", "default"), "a group keeps its index");
      assertTrue(n.release("bob", "default"));
      assertFalse(n.release("bob", "default"));
      assertEquals(Optional.empty(), n.find("bob", "default"));
      assertEquals(3, n.acquire("carol", "db"), "the lowest free index is reused");
      assertEquals(5, n.acquire("bob", "default"));
      assertEquals(List.of(new NetworkIndexes.Entry("alice", "default", 2), new NetworkIndexes.Entry("carol", "db", 3),
          new NetworkIndexes.Entry("alice", "web", 4), new NetworkIndexes.Entry("bob", "default", 5)), n.all());
    }
    try (Database db = TestDatabases.fileDatabase(home)) {
      NetworkIndexes n = new NetworkIndexes(db); // a restarted CLC
      assertEquals(Optional.of(4), n.find("alice", "web"));
      assertEquals(6, n.acquire("dave", "default"));
    }
  }

  @Test
  void concurrentAcquisitionsNeverShareAnIndex() throws Exception {
    try (Database db = TestDatabases.fileDatabase(home)) {
      NetworkIndexes n = new NetworkIndexes(db);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<Integer>> got = new ArrayList<>();
      for (int k = 0; k < 16; k++) {
        String owner = "user" + k;
        got.add(pool.submit(() -> n.acquire(owner, "default")));
      }
      List<Integer> indexes = new ArrayList<>();
      for (Future<Integer> f : got) {
        indexes.add(f.get());
      }
      pool.shutdown();
      Collections.sort(indexes);
      List<Integer> expected = new ArrayList<>();
      for (int k = 2; k < 18; k++) {
        expected.add(k);
      }
      assertEquals(expected, indexes);
    }
  }
}
