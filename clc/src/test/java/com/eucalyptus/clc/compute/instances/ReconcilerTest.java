package com.eucalyptus.clc.compute.instances;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.clc.cluster.ClusterClient.ReportedInstance;
import com.eucalyptus.clc.persistence.InstanceEntity;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The instance state machine: reports, silence and its grace, terminate, expiry, restart. */
class ReconcilerTest {
  static final long T0 = 1_000_000_000L;
  static final Reconciler.Settings S = new Reconciler.Settings(Duration.ofSeconds(60), Duration.ofSeconds(3600), 0);

  static InstanceEntity pending() {
    InstanceEntity e = new InstanceEntity();
    e.instanceId = "i-0000000A";
    e.state = "pending";
    e.stateMillis = T0;
    e.lastSeenMillis = T0;
    e.privateIp = "0.0.0.0";
    e.publicIp = "0.0.0.0";
    return e;
  }

  /** An instance whose node reported it Extant at 10.1.2.3 at T0 + 1 s: running since then. */
  static InstanceEntity running() {
    InstanceEntity e = pending();
    Reconciler.apply(e, extant(T0 + 1000), true, T0 + 1000, S);
    return e;
  }

  /** The node's report of a running guest at 10.1.2.3, last seen at {@code lastSeen}. */
  static ReportedInstance extant(long lastSeen) {
    return report("Extant", "10.1.2.3", lastSeen);
  }

  static ReportedInstance report(String state, String ip, long lastSeen) {
    return new ReportedInstance("i-0000000A", "r-1", "alice", state, ip, ip, "http://node:8775/axis2/services/EucalyptusNC",
        Instant.ofEpochMilli(T0), Instant.ofEpochMilli(lastSeen));
  }

  @Test
  void freshReportsDriveTheState() {
    InstanceEntity e = pending();
    Reconciler.Result r = Reconciler.apply(e, report("Pending", "0.0.0.0", T0 + 100), true, T0 + 200, S);
    assertEquals("pending", e.state);
    assertTrue(r.changed(), "lastSeen moved");
    Reconciler.apply(e, report("Extant", "0.0.0.0", T0 + 400), true, T0 + 500, S);
    assertEquals("running", e.state);
    assertEquals(T0 + 500, e.stateMillis);
    assertEquals("http://node:8775/axis2/services/EucalyptusNC", e.serviceTag);
    Reconciler.apply(e, report("Extant", "10.1.2.3", T0 + 900), true, T0 + 1000, S);
    assertEquals("10.1.2.3", e.privateIp);
    assertEquals("running", e.state);
    assertEquals(T0 + 500, e.stateMillis, "the state-change time stays");
    // a guest destroyed behind the NC's back: the NC reports Teardown → terminated at once
    Reconciler.apply(e, report("Teardown", "10.1.2.3", T0 + 1400), true, T0 + 1500, S);
    assertEquals("terminated", e.state);
  }

  @Test
  void aSilentNodeKeepsTheStateForTheGraceThenShuttingDownThenTerminated() {
    InstanceEntity e = running();
    // the node stops answering: the CC repeats the same lastSeen
    for (long t = T0 + 2000; t <= T0 + 61_000; t += 5000) {
      Reconciler.apply(e, extant(T0 + 1000), true, t, S);
      assertEquals("running", e.state, "within the grace at " + (t - T0));
    }
    Reconciler.apply(e, extant(T0 + 1000), true, T0 + 62_000, S);
    assertEquals("shutting-down", e.state);
    Reconciler.apply(e, extant(T0 + 1000), true, T0 + 121_001, S);
    assertEquals("terminated", e.state);
  }

  @Test
  void aNodeThatComesBackInTimeBringsItsInstanceBack() {
    InstanceEntity e = running();
    Reconciler.apply(e, null, false, T0 + 70_000, S); // the CC itself does not answer
    assertEquals("shutting-down", e.state);
    Reconciler.apply(e, extant(T0 + 75_000), true, T0 + 75_500, S);
    assertEquals("running", e.state);
    assertEquals(T0 + 75_500, e.lastSeenMillis);
  }

  @Test
  void aCcThatForgetsAnInstanceGetsTheGraceToo() {
    InstanceEntity e = running();
    Reconciler.apply(e, null, true, T0 + 30_000, S); // e.g. a CC restarted and not yet polled its nodes
    assertEquals("running", e.state);
    Reconciler.apply(e, extant(T0 + 40_000), true, T0 + 40_000, S);
    assertEquals("running", e.state);
  }

  @Test
  void aRestartedClcCountsSilenceFromItsOwnStart() {
    InstanceEntity e = running();
    // the CLC was down for 10 minutes; it restarts at T0 + 600 s and its CC is not up yet
    Reconciler.Settings restarted = new Reconciler.Settings(S.lostGrace(), S.terminatedVisible(), T0 + 600_000);
    Reconciler.apply(e, null, false, T0 + 610_000, restarted);
    assertEquals("running", e.state);
    // the CC answers with a newer lastSeen: reconciled
    Reconciler.apply(e, extant(T0 + 611_000), true, T0 + 612_000, restarted);
    assertEquals("running", e.state);
    assertEquals(T0 + 612_000, e.lastSeenMillis);
  }

  @Test
  void terminateRequestedEndsWhenTheNodeLetsGoAndIsRepeatedWhileItDoesNot() {
    InstanceEntity e = running();
    e.terminateRequested = true;
    e.state = "shutting-down";
    Reconciler.Result still = Reconciler.apply(e, extant(T0 + 2000), true, T0 + 2000, S);
    assertEquals("shutting-down", e.state);
    assertEquals(Reconciler.Action.TERMINATE, still.action());
    Reconciler.apply(e, report("Teardown", "10.1.2.3", T0 + 3000), true, T0 + 3000, S);
    assertEquals("terminated", e.state);

    InstanceEntity gone = pending();
    gone.terminateRequested = true;
    gone.state = "shutting-down";
    Reconciler.apply(gone, null, true, T0 + 1000, S);
    assertEquals("terminated", gone.state, "the CC no longer lists it");
  }

  @Test
  void terminatedInstancesAreForgottenAfterTheirTimeAndOrphansAreTerminated() {
    InstanceEntity e = pending();
    Reconciler.apply(e, null, false, T0 + 121_000, S);
    assertEquals("terminated", e.state, "lost for twice the grace");
    long ended = e.stateMillis;
    // its node comes back reporting it alive: the CLC told its owner it is gone, so it is terminated
    Reconciler.Result orphan = Reconciler.apply(e, extant(T0 + 130_000), true, T0 + 130_000, S);
    assertEquals("terminated", e.state);
    assertEquals(Reconciler.Action.TERMINATE, orphan.action());
    assertEquals(Reconciler.Action.NONE, Reconciler.apply(e, null, true, ended + 3_600_000, S).action());
    assertEquals(Reconciler.Action.FORGET, Reconciler.apply(e, null, true, ended + 3_600_001, S).action());
  }

  @Test
  void aCcWithoutLastSeenCountsAsFresh() {
    InstanceEntity e = pending();
    ReportedInstance r = new ReportedInstance("i-0000000A", "r-1", "alice", "Extant", "10.0.0.9", "10.0.0.9", null, null, null);
    Reconciler.apply(e, r, true, T0 + 200_000, S);
    assertEquals("running", e.state);
    assertFalse(Reconciler.apply(e, r, true, T0 + 200_000, S).changed());
  }
}
