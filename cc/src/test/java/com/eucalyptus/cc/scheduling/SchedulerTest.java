package com.eucalyptus.cc.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.eucalyptus.cc.resources.ResourceCalculator.VmType;
import com.eucalyptus.cc.scheduling.Scheduler.Candidate;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulerTest {
  static final VmType SMALL = new VmType("m1.small", 128, 1, 2);
  static final VmType LARGE = new VmType("m1.large", 512, 2, 10);

  static Candidate node(int index, int mem, int disk, int cores) {
    return new Candidate(index, "http://n" + index, mem, disk, cores);
  }

  @Test
  void greedyFillsTheFirstNodeWithRoomBeforeTheNext() {
    Scheduler s = SchedulingPolicy.GREEDY.newScheduler();
    List<Candidate> nodes = List.of(node(0, 1024, 40, 4), node(1, 1024, 40, 4));
    assertEquals(0, s.choose(nodes, SMALL).index());
    assertEquals(0, s.choose(nodes, SMALL).index());
    // the first node is short of cores for a large: the second one it is
    assertEquals(1, s.choose(List.of(node(0, 1024, 40, 1), node(1, 1024, 40, 4)), LARGE).index());
  }

  @Test
  void roundRobinMovesOnFromTheNodeUsedLastAndWraps() {
    Scheduler s = SchedulingPolicy.ROUNDROBIN.newScheduler();
    List<Candidate> nodes = List.of(node(0, 1024, 40, 4), node(1, 1024, 40, 4), node(2, 1024, 40, 4));
    assertEquals(0, s.choose(nodes, SMALL).index());
    assertEquals(1, s.choose(nodes, SMALL).index());
    assertEquals(2, s.choose(nodes, SMALL).index());
    assertEquals(0, s.choose(nodes, SMALL).index());
    // node 1 is full: skipped, and the position moves past node 2
    assertEquals(2, s.choose(List.of(node(0, 1024, 40, 4), node(1, 64, 40, 4), node(2, 1024, 40, 4)), SMALL).index());
    assertEquals(0, s.choose(nodes, SMALL).index());
  }

  @Test
  void roundRobinKeepsItsPlaceInNodesWhenANodeIsMissing() {
    Scheduler s = SchedulingPolicy.ROUNDROBIN.newScheduler();
    assertEquals(0, s.choose(List.of(node(0, 1024, 40, 4), node(1, 1024, 40, 4), node(2, 1024, 40, 4)), SMALL).index());
    // node 1 is down (not a candidate): next is node 2
    assertEquals(2, s.choose(List.of(node(0, 1024, 40, 4), node(2, 1024, 40, 4)), SMALL).index());
  }

  @Test
  void everyResourceMustFitAndNoRoomMeansNoNode() {
    for (SchedulingPolicy p : SchedulingPolicy.values()) {
      Scheduler s = p.newScheduler();
      assertNull(s.choose(List.of(node(0, 511, 40, 4), node(1, 1024, 9, 4), node(2, 1024, 40, 1)), LARGE), p.name());
      assertNull(s.choose(List.of(), SMALL), p.name());
      assertEquals(3, s.choose(List.of(node(0, 511, 40, 4), node(3, 512, 10, 2)), LARGE).index(), p.name());
    }
  }
}
