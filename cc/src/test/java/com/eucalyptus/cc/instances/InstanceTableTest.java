package com.eucalyptus.cc.instances;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.cc.nodes.NodeEndpoint;
import com.eucalyptus.cc.nodes.NodeRegistry;
import com.eucalyptus.cc.resources.ResourceCalculator.VmType;
import com.eucalyptus.cc.scheduling.NodePicker;
import com.eucalyptus.cc.scheduling.SchedulingPolicy;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstanceTableTest {
  static final String A = "http://a:8775/axis2/services/EucalyptusNC";
  static final VmType SMALL = new VmType("m1.small", 128, 1, 2);

  static Instance inst(String id, String state, String ip) {
    return new Instance(id, "r-1", "admin", "emi-1", "eki-1", null, SMALL, "key", Instant.EPOCH, state,
        "d0:0d:00:00:00:01", "d0:0d:00:00:00:01", 0, ip, ip, A, null, "0", List.of(), null, null);
  }

  @Test
  void aReportUpdatesTheStateAndKeepsTheAddressTheCcLearnt() {
    InstanceTable t = new InstanceTable();
    t.placed(inst("i-1", "Pending", null).placedOn(A, Instant.now().minusSeconds(10)));
    t.update("i-1", i -> i.withAddresses("10.0.0.5", "10.0.0.5"));
    Instant now = Instant.now();
    // the node's report: no VM type name (the NC's type has none), no reservation id
    Instance fromNode = new Instance("i-1", null, "admin", "emi-1", "eki-1", null, new VmType(null, 128, 1, 2), "key",
        Instant.EPOCH, "Extant", "d0:0d:00:00:00:01", "d0:0d:00:00:00:01", 0, "0.0.0.0", "0.0.0.0", A, null, "0",
        List.of(), null, null);
    t.nodeReported(A, now, List.of(fromNode), now);
    Instance i = t.get("i-1");
    assertEquals("Extant", i.stateName());
    assertEquals("10.0.0.5", i.privateIp());
    assertEquals("m1.small", i.vmType().name());
    assertEquals("r-1", i.reservationId());
    assertEquals(now, i.lastSeen());
    assertEquals(A, i.serviceTag());
  }

  @Test
  void anInstanceTheNodeNoLongerReportsIsForgottenUnlessPlacedAfterThePollWasSent() {
    InstanceTable t = new InstanceTable();
    Instant pollSent = Instant.now();
    t.placed(inst("i-old", "Extant", null).placedOn(A, pollSent.minusSeconds(5)));
    t.placed(inst("i-new", "Pending", null).placedOn(A, pollSent.plusMillis(5)));
    t.placed(inst("i-other", "Extant", null).placedOn("http://b:8775/x", pollSent.minusSeconds(5)));
    t.nodeReported(A, pollSent, List.of(), Instant.now());
    assertNull(t.get("i-old"));
    assertNotNull(t.get("i-new"));
    assertNotNull(t.get("i-other")); // another node's instance is not touched
  }

  @Test
  void whileANodeIsSilentItsInstancesKeepTheirLastStateAndWhenTheyWereLastSeen() {
    StandInNodes nodes = new StandInNodes().node("a", 1024, 40, 4);
    InstanceTable t = new InstanceTable();
    try (NodeRegistry r = new NodeRegistry(NodeEndpoint.parseNodes("a", 8775, "axis2/services/EucalyptusNC"), nodes)) {
      r.addPollListener(new InstancePoller(nodes, t, x -> { }));
      nodes.running.get("a").put("i-1", inst("i-1", "Extant", null));
      r.refresh();
      Instant seen = t.get("i-1").lastSeen();
      assertNotNull(seen);
      nodes.down.add("a");
      r.refresh();
      assertFalse(r.snapshot().get(0).up());
      assertEquals("Extant", t.get("i-1").stateName());
      assertEquals(seen, t.get("i-1").lastSeen());
      // back: seen again
      nodes.down.remove("a");
      r.refresh();
      assertTrue(t.get("i-1").lastSeen().isAfter(seen));
    }
  }

  @Test
  void afterARestartTheTableIsRebuiltFromWhatTheNodesRun() throws Exception {
    StandInNodes nodes = new StandInNodes().node("a", 1024, 40, 4).node("b", 1024, 40, 4);
    String list = "a b";
    List<Instance> placed;
    // the first CC places two instances, then goes away
    try (NodeRegistry r = new NodeRegistry(NodeEndpoint.parseNodes(list, 8775, "axis2/services/EucalyptusNC"), nodes);
        InstanceLauncher l = new InstanceLauncher(r, new NodePicker(r, SchedulingPolicy.ROUNDROBIN.newScheduler()),
            nodes, new InstanceTable())) {
      r.refresh();
      placed = l.launch(InstanceLauncherTest.request(2, 2));
    }
    // a new CC knows nothing until it polls
    InstanceTable t = new InstanceTable();
    try (NodeRegistry r = new NodeRegistry(NodeEndpoint.parseNodes(list, 8775, "axis2/services/EucalyptusNC"), nodes)) {
      r.addPollListener(new InstancePoller(nodes, t, x -> { }));
      assertTrue(t.all().isEmpty());
      r.refresh();
      assertEquals(2, t.all().size());
      for (Instance p : placed) {
        Instance i = t.get(p.instanceId());
        assertEquals(p.serviceTag(), i.serviceTag());
        assertEquals(p.ownerId(), i.ownerId());
        assertEquals(p.reservationId(), i.reservationId());
        assertEquals(p.privateMac(), i.privateMac());
      }
      // and the rebuilt CC can place more without overbooking what already runs
      try (InstanceLauncher l = new InstanceLauncher(r, new NodePicker(r, SchedulingPolicy.GREEDY.newScheduler()), nodes, t)) {
        l.launch(InstanceLauncherTest.request(3, 3));
        assertEquals(4, nodes.count("a"));
        assertEquals(1, nodes.count("b"));
      }
    }
  }
}
