package com.eucalyptus.cc.instances;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The last known state of every instance on this cluster. Filled by RunInstances and by the nodes'
 * ncDescribeInstances answers (so that after a CC restart it is rebuilt from what the NCs run).
 * While a node does not answer, its instances stay as last reported, with the time they were last
 * seen; the CLC decides when that is too long ago.
 */
public final class InstanceTable {
  private static final Logger LOG = LogManager.getLogger(InstanceTable.class);
  private final Map<String, Instance> byId = new LinkedHashMap<>();

  /** An instance this CC just placed (the node accepted it). */
  public synchronized void placed(Instance i) {
    byId.put(i.instanceId(), i);
  }

  /**
   * Merges a node's full ncDescribeInstances answer, obtained by a poll sent at {@code pollStarted}:
   * reported instances are updated (an address the node does not know keeps the one the CC
   * learnt, and so does any field the node left out); instances recorded on that node and no
   * longer reported are gone, unless they were placed after the poll was sent.
   */
  public synchronized void nodeReported(String serviceTag, Instant pollStarted, List<Instance> reported, Instant now) {
    Set<String> seen = new HashSet<>();
    for (Instance r : reported) {
      seen.add(r.instanceId());
      Instance known = byId.get(r.instanceId());
      Instance merged = r.placedOn(serviceTag, known == null ? null : known.placedAt()).seenAt(now).reportedOver(known);
      if (known == null) {
        LOG.info("instance {} learnt from node {} ({})", r.instanceId(), serviceTag, r.stateName());
      } else if (!java.util.Objects.equals(known.stateName(), merged.stateName())) {
        LOG.info("instance {} on {}: {} -> {}", r.instanceId(), serviceTag, known.stateName(), merged.stateName());
      }
      byId.put(r.instanceId(), merged);
    }
    byId.values().removeIf(i -> {
      boolean gone = serviceTag.equals(i.serviceTag()) && !seen.contains(i.instanceId())
          && (i.placedAt() == null || i.placedAt().isBefore(pollStarted));
      if (gone) {
        LOG.info("instance {} is no longer reported by node {}: forgotten", i.instanceId(), serviceTag);
      }
      return gone;
    });
  }

  public synchronized Instance get(String instanceId) {
    return byId.get(instanceId);
  }

  public synchronized List<Instance> all() {
    return new ArrayList<>(byId.values());
  }

  /** Replaces the instance with {@code change} applied, if it is still known. */
  public synchronized void update(String instanceId, UnaryOperator<Instance> change) {
    byId.computeIfPresent(instanceId, (k, v) -> change.apply(v));
  }
}
