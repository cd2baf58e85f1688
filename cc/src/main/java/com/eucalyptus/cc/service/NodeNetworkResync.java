package com.eucalyptus.cc.service;

import com.eucalyptus.cc.network.NetworkMode;
import com.eucalyptus.cc.nodes.NodeEndpoint;
import com.eucalyptus.cc.nodes.NodeNetworkClient;
import com.eucalyptus.cc.nodes.NodeRegistry;
import com.eucalyptus.cc.nodes.NodeState;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * MANAGED: a node that answers after being down or unknown (the CC's first poll after a start
 * included) is sent ncStartNetwork for every active network, with the current peers. Without it a
 * node that was down when StartNetwork came, or the nodes after a CC restart with a changed NODES,
 * would carry the network with no peers or stale ones: its guests would reach nobody. ncStartNetwork
 * is idempotent on the node, so a node that had it all already changes nothing. Runs beside the
 * poll (which must not wait for it).
 */
public final class NodeNetworkResync implements NodeRegistry.PollListener {
  private static final Logger LOG = LogManager.getLogger(NodeNetworkResync.class);
  private final NodeRegistry nodes;
  private final NodeNetworkClient client;
  private final NetworkMode network;

  public NodeNetworkResync(NodeRegistry nodes, NodeNetworkClient client, NetworkMode network) {
    this.nodes = nodes;
    this.client = client;
    this.network = network;
  }

  @Override
  public void nodeAnswered(NodeEndpoint node, Instant pollStarted) {
    NodeState before = nodes.find(node.url()); // the state before this poll's answer
    if (before != null && before.up()) {
      return;
    }
    List<Integer> indexes = network.activeIndexes();
    if (indexes.isEmpty()) {
      return;
    }
    CompletableFuture.runAsync(() -> {
      for (int vlan : indexes) {
        try {
          String status = client.startNetwork(node, vlan, network.remoteHosts(node.host()), network.remoteHostPort());
          if (status == null || !status.startsWith("SUCCESS")) {
            LOG.warn("ncStartNetwork (index {}) on {}, which is up again: {}", vlan, node.url(), status);
          } else {
            LOG.info("ncStartNetwork (index {}) on {}, which is up again: {}", vlan, node.url(), status);
          }
        } catch (Exception e) {
          LOG.warn("ncStartNetwork (index {}) on {}, which is up again, failed: {}", vlan, node.url(), e.getMessage());
        }
      }
    });
  }
}
