package com.eucalyptus.cc.service;

import com.eucalyptus.cc.instances.InstanceLauncher;
import com.eucalyptus.cc.instances.InstanceTable;
import com.eucalyptus.cc.instances.NodeInstanceClient;
import com.eucalyptus.cc.network.NetworkMode;

/**
 * What the instance operations work with: the table, the launcher, the NC client, and the network
 * mode (which gives instances their MACs and addresses and learns those of instances it did not
 * start).
 */
public record ClusterInstances(InstanceTable table, InstanceLauncher launcher, NodeInstanceClient client,
    NetworkMode network) {
}
