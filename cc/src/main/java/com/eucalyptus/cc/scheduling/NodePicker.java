package com.eucalyptus.cc.scheduling;

import com.eucalyptus.cc.nodes.NodeEndpoint;
import com.eucalyptus.cc.nodes.NodeRegistry;
import com.eucalyptus.cc.nodes.NodeState;
import com.eucalyptus.cc.resources.ResourceCalculator.VmType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Chooses a node for each instance and reserves the instance's cores, memory and disk there, so
 * that concurrent RunInstances requests never place more on a node than it reported free. A
 * reservation lasts while the ncRunInstance is in flight and, once it succeeded, until a poll of
 * that node sent after the run finished (whose numbers then include the instance); a failed run
 * gives its reservation back at once.
 */
public final class NodePicker {
  private final NodeRegistry nodes;
  private final Scheduler scheduler;
  private final List<Reservation> reservations = new ArrayList<>();

  public NodePicker(NodeRegistry nodes, Scheduler scheduler) {
    this.nodes = nodes;
    this.scheduler = scheduler;
  }

  /** Resources held on one node for one instance. */
  public final class Reservation {
    private final NodeEndpoint node;
    private final VmType type;
    private Instant ranAt;

    private Reservation(NodeEndpoint node, VmType type) {
      this.node = node;
      this.type = type;
    }

    public NodeEndpoint node() {
      return node;
    }

    /** The run went through: hold the resources until the node's own numbers show them used. */
    public void ran() {
      synchronized (NodePicker.this) {
        ranAt = Instant.now();
      }
    }

    /** The run failed: the resources are free again. */
    public void release() {
      synchronized (NodePicker.this) {
        reservations.remove(this);
      }
    }
  }

  /**
   * Picks a node with room for {@code type} among the up nodes not in {@code excluded} (service
   * tags) and reserves the room; null when no node has room.
   */
  public synchronized Reservation reserve(VmType type, Set<String> excluded) {
    List<NodeState> states = nodes.snapshot();
    List<Scheduler.Candidate> candidates = new ArrayList<>();
    for (int i = 0; i < states.size(); i++) {
      NodeState s = states.get(i);
      if (!s.up() || s.capacity() == null || excluded.contains(s.endpoint().url())) {
        continue;
      }
      int mem = s.capacity().memoryAvailable();
      int disk = s.capacity().diskAvailable();
      int cores = s.capacity().coresAvailable();
      for (Iterator<Reservation> it = reservations.iterator(); it.hasNext();) {
        Reservation r = it.next();
        if (!r.node.url().equals(s.endpoint().url())) {
          continue;
        }
        if (r.ranAt != null && s.pollStarted() != null && r.ranAt.isBefore(s.pollStarted())) {
          it.remove(); // the node's numbers already count this instance
          continue;
        }
        mem -= r.type.memory();
        disk -= r.type.disk();
        cores -= r.type.cores();
      }
      candidates.add(new Scheduler.Candidate(i, s.endpoint().url(), mem, disk, cores));
    }
    Scheduler.Candidate c = scheduler.choose(candidates, type);
    if (c == null) {
      return null;
    }
    Reservation r = new Reservation(states.get(c.index()).endpoint(), type);
    reservations.add(r);
    return r;
  }

  /** How many reservations are held (for tests and the log). */
  public synchronized int held() {
    return reservations.size();
  }
}
