package com.eucalyptus.cc.nodes;

import java.security.cert.X509Certificate;
import java.time.Instant;

/** What the CC last learned from one NC. */
public record NodeState(NodeEndpoint endpoint, boolean up, NodeCapacity capacity, Instant lastSeen,
    X509Certificate replySigner, String lastError) {

  /** ncDescribeResource's numbers: memory MB, disk GB, cores. */
  public record NodeCapacity(int memoryMax, int memoryAvailable, int diskMax, int diskAvailable, int coresMax,
      int coresAvailable) {
  }
}
