package com.eucalyptus.cc.nodes;

import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * What the CC last learned from one NC. {@code pollStarted} is when the poll that produced
 * {@code capacity} was sent: a run finished before it is already counted in the node's numbers.
 */
public record NodeState(NodeEndpoint endpoint, boolean up, NodeCapacity capacity, Instant lastSeen,
    X509Certificate replySigner, String lastError, Instant pollStarted) {

  public NodeState(NodeEndpoint endpoint, boolean up, NodeCapacity capacity, Instant lastSeen,
      X509Certificate replySigner, String lastError) {
    this(endpoint, up, capacity, lastSeen, replySigner, lastError, null);
  }

  /** ncDescribeResource's numbers: memory MB, disk GB, cores. */
  public record NodeCapacity(int memoryMax, int memoryAvailable, int diskMax, int diskAvailable, int coresMax,
      int coresAvailable) {
  }
}
