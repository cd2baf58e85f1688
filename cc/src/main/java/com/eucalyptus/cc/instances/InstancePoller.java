package com.eucalyptus.cc.instances;

import com.eucalyptus.cc.nodes.NodeEndpoint;
import com.eucalyptus.cc.nodes.NodeRegistry;
import java.time.Instant;

/**
 * Asks every node that answered a resource poll for its instances too (ncDescribeInstances), and
 * merges the answer into the table; then the addresses are looked up. A node whose
 * ncDescribeInstances fails counts as not answering: its instances keep their last known state.
 */
public final class InstancePoller implements NodeRegistry.PollListener {
  private final NodeInstanceClient client;
  private final InstanceTable table;
  private final AddressLearner addresses;

  /** Learns the addresses of instances that have none yet (SYSTEM mode: from the neighbour table). */
  public interface AddressLearner {
    void learn(InstanceTable table);
  }

  public InstancePoller(NodeInstanceClient client, InstanceTable table, AddressLearner addresses) {
    this.client = client;
    this.table = table;
    this.addresses = addresses;
  }

  @Override
  public void nodeAnswered(NodeEndpoint node, Instant pollStarted) throws Exception {
    table.nodeReported(node.url(), pollStarted, client.describeInstances(node), Instant.now());
    addresses.learn(table);
  }
}
