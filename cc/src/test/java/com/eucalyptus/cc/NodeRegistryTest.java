package com.eucalyptus.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.cc.nodes.NodeClient;
import com.eucalyptus.cc.nodes.NodeEndpoint;
import com.eucalyptus.cc.nodes.NodeRegistry;
import com.eucalyptus.cc.nodes.NodeState;
import com.eucalyptus.cc.nodes.NodeState.NodeCapacity;
import com.eucalyptus.cc.scheduling.SchedulingPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NodeRegistryTest {
  static final NodeCapacity CAP = new NodeCapacity(1024, 1024, 10, 10, 2, 2);
  final List<NodeEndpoint> nodes = NodeEndpoint.parseNodes("a b c", 8775, "axis2/services/EucalyptusNC");

  @Test
  void everyNodeIsPolledPeriodicallyWithoutBeingAsked() throws Exception {
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    CountDownLatch enough = new CountDownLatch(3 * 3);
    NodeClient client = n -> {
      calls.computeIfAbsent(n.host(), h -> new AtomicInteger()).incrementAndGet();
      enough.countDown();
      return new NodeClient.Answer(CAP, null);
    };
    try (NodeRegistry r = new NodeRegistry(nodes, client)) {
      r.startPolling(Duration.ofMillis(200));
      assertTrue(enough.await(10, TimeUnit.SECONDS), "polled: " + calls);
      assertTrue(r.snapshot().stream().allMatch(NodeState::up));
    }
  }

  @Test
  void aNodeThatFailsIsDownAndKeepsTheCertificateItLastSignedWith() throws Exception {
    AtomicInteger round = new AtomicInteger();
    NodeClient client = n -> {
      if (n.host().equals("b") && round.get() > 0) {
        throw new IOException("connection refused");
      }
      return new NodeClient.Answer(CAP, null);
    };
    try (NodeRegistry r = new NodeRegistry(nodes, client)) {
      assertTrue(r.refresh().stream().allMatch(NodeState::up));
      round.incrementAndGet();
      List<NodeState> s = r.refresh();
      assertFalse(s.get(1).up());
      assertEquals("connection refused", s.get(1).lastError());
      assertTrue(s.get(0).up() && s.get(2).up());
    }
  }

  @Test
  void anOnDemandRefreshDoesNotWaitForASlowNodeBeyondItsLimit() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger slowCalls = new AtomicInteger();
    NodeClient client = n -> {
      if (n.host().equals("c")) {
        slowCalls.incrementAndGet();
        release.await();
      }
      return new NodeClient.Answer(CAP, null);
    };
    try (NodeRegistry r = new NodeRegistry(nodes, client)) {
      long t0 = System.nanoTime();
      List<NodeState> s = r.refresh(Duration.ofMillis(300));
      assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(3));
      assertTrue(s.get(0).up() && s.get(1).up());
      assertFalse(s.get(2).up(), "not heard from yet");
      r.refresh(Duration.ofMillis(100));
      assertEquals(1, slowCalls.get(), "one poll per node in flight at a time");
      release.countDown();
      for (int i = 0; i < 50 && !r.find(nodes.get(2).url()).up(); i++) {
        Thread.sleep(50);
      }
      assertTrue(r.find(nodes.get(2).url()).up(), "the slow answer is recorded when it comes");
    }
  }

  @Test
  void aRefreshAskedWhileAPollIsUnderWaySeesTheAnswerOfAPollSentAfterIt() throws Exception {
    CountDownLatch firstSent = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    NodeClient client = n -> {
      if (calls.incrementAndGet() == 1) {
        firstSent.countDown();
        releaseFirst.await();
        throw new IOException("the answer from before the question");
      }
      return new NodeClient.Answer(CAP, null);
    };
    try (NodeRegistry r = new NodeRegistry(List.of(nodes.get(0)), client)) {
      CompletableFuture.runAsync(r::refresh);
      assertTrue(firstSent.await(5, TimeUnit.SECONDS));
      CompletableFuture<List<NodeState>> asked = CompletableFuture.supplyAsync(r::refresh);
      Thread.sleep(200);
      releaseFirst.countDown();
      NodeState seen = asked.get(5, TimeUnit.SECONDS).get(0);
      assertTrue(seen.up(), "a refresh asked during a poll waits for the next one: " + seen.lastError());
      assertEquals(2, calls.get());
    }
  }

  @Test
  void schedPolicyFallsBackToGreedyAsThe152CcDid() {
    assertEquals(SchedulingPolicy.ROUNDROBIN, SchedulingPolicy.parse("ROUNDROBIN"));
    assertEquals(SchedulingPolicy.GREEDY, SchedulingPolicy.parse("greedy"));
    assertEquals(SchedulingPolicy.GREEDY, SchedulingPolicy.parse("POWERSAVE"));
    assertEquals(SchedulingPolicy.GREEDY, SchedulingPolicy.parse(""));
  }
}
