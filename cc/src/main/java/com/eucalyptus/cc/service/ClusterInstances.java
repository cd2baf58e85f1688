package com.eucalyptus.cc.service;

import com.eucalyptus.cc.instances.InstanceLauncher;
import com.eucalyptus.cc.instances.InstancePoller;
import com.eucalyptus.cc.instances.InstanceTable;
import com.eucalyptus.cc.instances.NodeInstanceClient;

/** What the instance operations work with: the table, the launcher, the NC client, the address learner. */
public record ClusterInstances(InstanceTable table, InstanceLauncher launcher, NodeInstanceClient client,
    InstancePoller.AddressLearner addresses) {
}
