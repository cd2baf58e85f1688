package com.eucalyptus.cc.network;

import com.eucalyptus.cc.instances.Instance;
import com.eucalyptus.cc.instances.InstanceTable;
import com.eucalyptus.cc.network.model.IngressRule;
import com.eucalyptus.cc.network.model.PublicAssignment;
import java.util.List;

/**
 * VNET_MODE SYSTEM: the guests join VNET_BRIDGE on the nodes and a DHCP server the cloud does not
 * run gives them their addresses; the CC only learns those from the neighbour table
 * ({@link SystemModeAddresses}). StartNetwork, StopNetwork and ConfigureNetwork succeed and do
 * nothing, as in 1.5.2; there are no elastic IPs (UnsupportedOperation).
 */
public final class SystemMode implements NetworkMode {
  private final SystemModeAddresses addresses;

  public SystemMode(SystemModeAddresses addresses) {
    this.addresses = addresses;
  }

  @Override
  public String name() {
    return "SYSTEM";
  }

  @Override
  public void start() {
  }

  @Override
  public Instance admit(Instance instance) {
    return instance; // the CLC's MAC; the address shows up in the neighbour table later
  }

  @Override
  public void released(Instance instance) {
  }

  @Override
  public void startNetwork(String user, String group, int vlan, String cloudAddress) {
  }

  @Override
  public void stopNetwork(String user, String group, int vlan) {
  }

  @Override
  public void configureNetwork(String user, String group, List<IngressRule> rules) {
  }

  @Override
  public void assignAddress(String publicIp, String privateIp) throws NetworkRefusal {
    throw unsupported(name());
  }

  @Override
  public void unassignAddress(String publicIp, String privateIp) throws NetworkRefusal {
    throw unsupported(name());
  }

  @Override
  public List<PublicAssignment> publicAddresses() throws NetworkRefusal {
    throw unsupported(name());
  }

  @Override
  public void learn(InstanceTable table) {
    addresses.learn(table);
  }

  /** The refusal of the elastic-IP operations in the modes without them. */
  static NetworkRefusal unsupported(String mode) {
    return new NetworkRefusal("UnsupportedOperation", "public addresses (elastic IPs) need VNET_MODE "
        + "\"MANAGED-NOVLAN\"; this cluster runs in " + mode + " mode");
  }
}
