package com.eucalyptus.cc.instances;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.cc.nodes.NodeEndpoint;
import com.eucalyptus.cc.nodes.NodeRegistry;
import com.eucalyptus.cc.resources.ResourceCalculator.VmType;
import com.eucalyptus.cc.scheduling.NodePicker;
import com.eucalyptus.cc.scheduling.SchedulingPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InstanceLauncherTest {
  static final VmType SMALL = new VmType("m1.small", 128, 1, 2);
  final StandInNodes nodes = new StandInNodes();
  final InstanceTable table = new InstanceTable();
  NodeRegistry registry;

  {
    nodes.node("a", 1024, 40, 4).node("b", 1024, 40, 4);
  }

  InstanceLauncher launcher;
  static final AtomicInteger ids = new AtomicInteger(0x1000);

  void start(String nodeList, SchedulingPolicy policy) {
    registry = new NodeRegistry(NodeEndpoint.parseNodes(nodeList, 8775, "axis2/services/EucalyptusNC"), nodes);
    registry.addPollListener(new InstancePoller(nodes, table, t -> { }));
    registry.refresh();
    launcher = new InstanceLauncher(registry, new NodePicker(registry, policy.newScheduler()), nodes, table);
  }

  @AfterEach
  void stop() {
    launcher.close();
    registry.close();
  }

  static LaunchRequest request(int count, int min) {
    List<Instance> list = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      String id = String.format("i-%08X", ids.incrementAndGet());
      list.add(new Instance(id, "r-00000001", "admin", "emi-1", "eki-1", null, SMALL, "ssh-rsa AAA", Instant.now(),
          "Pending", "d0:0d:00:00:00:01", "d0:0d:00:00:00:01", 0, null, null, null, "", String.valueOf(k), List.of("default"),
          null, null));
    }
    return new LaunchRequest(list, min, "http://w/img", "http://w/k", null);
  }

  @Test
  void roundRobinSpreadsAReservationAndGreedyFillsOneNode() throws Exception {
    start("a b", SchedulingPolicy.ROUNDROBIN);
    List<Instance> placed = launcher.launch(request(2, 2));
    assertEquals(1, nodes.count("a"));
    assertEquals(1, nodes.count("b"));
    assertTrue(placed.get(0).serviceTag().contains("//a:8775/"));
    stop();
    nodes.node("a", 1024, 40, 4).node("b", 1024, 40, 4); // empty again
    start("a b", SchedulingPolicy.GREEDY);
    launcher.launch(request(2, 2));
    assertEquals(2, nodes.count("a"));
    assertEquals(0, nodes.count("b"));
  }

  @Test
  void aNodeThatFailsTheRunIsMarkedDownAndTheInstanceLandsOnAnother() throws Exception {
    start("a b", SchedulingPolicy.GREEDY);
    nodes.down.add("a"); // a answered the last poll, then stops answering
    List<Instance> placed = launcher.launch(request(1, 1));
    assertEquals(1, placed.size());
    assertTrue(placed.get(0).serviceTag().contains("//b:8775/"), placed.get(0).serviceTag());
    assertFalse(registry.find(placed.get(0).serviceTag().replace("//b:", "//a:")).up());
    assertEquals(1, nodes.count("b"));
    // the next request does not try a again while it is down
    launcher.launch(request(1, 1));
    assertEquals(2, nodes.count("b"));
  }

  @Test
  void aRunThatTimedOutOnANodeThatAcceptedItIsNotLeftRunningThere() throws Exception {
    start("a b", SchedulingPolicy.GREEDY);
    nodes.slow.add("a");
    List<Instance> placed = launcher.launch(request(1, 1));
    assertTrue(placed.get(0).serviceTag().contains("//b:8775/"));
    for (int k = 0; k < 100 && nodes.count("a") > 0; k++) {
      Thread.sleep(20);
    }
    assertEquals(0, nodes.count("a"));
    assertEquals(1, nodes.count("b"));
  }

  @Test
  void whenEveryNodeFailsTheRequestFailsWithNothingLeftRunning() {
    start("a b", SchedulingPolicy.GREEDY);
    nodes.down.add("a");
    nodes.down.add("b");
    assertThrows(InsufficientCapacityException.class, () -> launcher.launch(request(1, 1)));
  }

  @Test
  void belowTheMinimumNothingIsLeftRunning() {
    nodes.node("a", 1024, 40, 1).node("b", 1024, 40, 1);
    start("a b", SchedulingPolicy.ROUNDROBIN);
    assertThrows(InsufficientCapacityException.class, () -> launcher.launch(request(3, 3)));
    assertEquals(0, nodes.count("a") + nodes.count("b"));
    // with a minimum of 2, two of three start
    registry.refresh();
    assertEquals(2, assertDoesNotThrow(() -> launcher.launch(request(3, 2))).size());
  }

  static <T> T assertDoesNotThrow(java.util.concurrent.Callable<T> c) {
    try {
      return c.call();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void concurrentRequestsNeverOverbookANode() throws Exception {
    // room for 3 smalls in all (3 cores on a, none on b)
    nodes.node("a", 4096, 100, 3).node("b", 4096, 100, 0);
    start("a b", SchedulingPolicy.ROUNDROBIN);
    nodes.runGate = new CountDownLatch(1); // every run stays in flight until released
    ExecutorService clients = Executors.newFixedThreadPool(8);
    List<Future<Integer>> results = new ArrayList<>();
    for (int k = 0; k < 8; k++) {
      results.add(clients.submit(() -> {
        try {
          return launcher.launch(request(1, 1)).size();
        } catch (InsufficientCapacityException e) {
          return 0;
        }
      }));
    }
    Thread.sleep(300); // let all eight reach the scheduler while the first runs are held
    nodes.runGate.countDown();
    int started = 0;
    for (Future<Integer> f : results) {
      started += f.get(30, TimeUnit.SECONDS);
    }
    clients.shutdown();
    assertEquals(3, started);
    assertEquals(3, nodes.count("a"));
    // after the runs ended and before any new poll, the node is still full for this CC
    assertThrows(InsufficientCapacityException.class, () -> launcher.launch(request(1, 1)));
    // a poll shows the node full by its own numbers: still no room, and no reservation is left over
    registry.refresh();
    assertThrows(InsufficientCapacityException.class, () -> launcher.launch(request(1, 1)));
    // the instances ended on the node: after the next poll there is room again
    nodes.running.get("a").clear();
    registry.refresh();
    assertEquals(1, launcher.launch(request(1, 1)).size());
  }
}
