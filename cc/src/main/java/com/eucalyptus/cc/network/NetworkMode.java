package com.eucalyptus.cc.network;

import com.eucalyptus.cc.instances.Instance;
import com.eucalyptus.cc.instances.InstancePoller;
import com.eucalyptus.cc.network.model.IngressRule;
import com.eucalyptus.cc.network.model.PublicAssignment;
import java.util.List;

/**
 * One VNET_MODE of the CC: how an instance gets its MAC and addresses and what the CC does to the
 * front end's network for it. SYSTEM, STATIC, MANAGED-NOVLAN and MANAGED are implementations (the
 * last two one class); ClusterControllerMain picks one from the configuration and never falls back
 * to another. Operations a mode does not have answer a {@link NetworkRefusal} that says so.
 */
public interface NetworkMode extends InstancePoller.AddressLearner {
  /** The VNET_MODE value, e.g. "MANAGED-NOVLAN". */
  String name();

  /** At CC start: rebuilds dhcpd, addresses, chains and NAT from the saved state. */
  void start() throws NetworkRefusal;

  /**
   * A new instance, before it goes to a node: returns it with its MAC (public and private), vlan
   * and addresses set as this mode gives them. Refuses when no address is left, or when the mode
   * does not allow what was asked (a second security group in the MANAGED modes).
   */
  Instance admit(Instance instance) throws NetworkRefusal;

  /** The instance is gone (terminated, or it could not be started): its addresses are free again. */
  void released(Instance instance);

  /** StartNetwork: the group's network becomes active with network index {@code vlan}. Idempotent. */
  void startNetwork(String user, String group, int vlan, String cloudAddress) throws NetworkRefusal;

  /** StopNetwork: the group has no instance left on this cluster. */
  void stopNetwork(String user, String group, int vlan) throws NetworkRefusal;

  /** ConfigureNetwork: the group's complete rule set, replacing what it had; effective at once. */
  void configureNetwork(String user, String group, List<IngressRule> rules) throws NetworkRefusal;

  /** AssignAddress: {@code publicIp} (of VNET_PUBLICIPS) now leads to {@code privateIp}. */
  void assignAddress(String publicIp, String privateIp) throws NetworkRefusal;

  /** UnassignAddress. */
  void unassignAddress(String publicIp, String privateIp) throws NetworkRefusal;

  /** DescribePublicAddresses: every address of the pool, with what it is assigned to. */
  List<PublicAssignment> publicAddresses() throws NetworkRefusal;

  /**
   * Whether StartNetwork also sends ncStartNetwork to every node (the MANAGED modes; SYSTEM and
   * STATIC leave the nodes' bridge alone, as 1.5.2 did).
   */
  default boolean startsNetworkOnNodes() {
    return false;
  }

  /**
   * Whether StopNetwork also sends ncStopNetwork to every node (MANAGED: each node has a bridge and
   * link per network to take away).
   */
  default boolean stopsNetworkOnNodes() {
    return false;
  }

  /** The indexes of the active networks (the MANAGED modes; empty in the others). */
  default List<Integer> activeIndexes() {
    return List.of();
  }

  /** Whether an active network here has index {@code vlan}. */
  default boolean indexInUse(int vlan) {
    return false;
  }

  /**
   * ncStartNetwork's remoteHosts for the node {@code nodeHost} (its host as NODES names it). 1.5.2
   * sent {@code localhost}; MANAGED sends the other hosts carrying the networks (the CC's own
   * VNET_LOCALIP and every other node).
   */
  default List<String> remoteHosts(String nodeHost) {
    return List.of("localhost");
  }

  /** ncStartNetwork's remoteHostPort: 1.5.2's 1234; MANAGED over vxlan its UDP port. */
  default int remoteHostPort() {
    return 1234;
  }

  /** At CC stop: nothing is torn down (guests keep their network while the CC restarts). */
  default void close() {
  }
}
