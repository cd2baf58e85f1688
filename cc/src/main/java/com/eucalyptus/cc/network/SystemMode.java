package com.eucalyptus.cc.network;

import com.eucalyptus.cc.instances.Instance;
import com.eucalyptus.cc.instances.InstanceTable;

/**
 * VNET_MODE SYSTEM: the guests join VNET_BRIDGE on the nodes and a DHCP server the cloud does not
 * run gives them their addresses; the CC only learns those from the neighbour table
 * ({@link SystemModeAddresses}). StartNetwork, StopNetwork and ConfigureNetwork succeed and do
 * nothing, as in 1.5.2; there are no elastic IPs (UnsupportedOperation).
 */
public final class SystemMode extends UnmanagedMode {
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
  public void learn(InstanceTable table) {
    addresses.learn(table);
  }
}
