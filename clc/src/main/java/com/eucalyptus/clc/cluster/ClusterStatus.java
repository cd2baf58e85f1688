package com.eucalyptus.clc.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the CLC last learned about one cluster; DOWN until its CC has answered. */
public record ClusterStatus(String name, String host, int port, boolean up, Map<String, ClusterClient.TypeCount> counts,
    List<NodeStatus> nodes) {

  /** A node (serviceTag = its NC URL) and the results of the certificate checks. */
  public record NodeStatus(String serviceTag, boolean ccCertOk, boolean ncCertOk, Instant lastSeen) {
  }

  public static ClusterStatus down(String name, String host, int port, ClusterStatus previous) {
    return new ClusterStatus(name, host, port, false, previous == null ? Map.of() : previous.counts(),
        previous == null ? List.of() : previous.nodes());
  }
}
