package com.eucalyptus.cc.network.model;

/**
 * A security group's network while it is active on this cluster (StartNetwork): block {@code vlan}
 * of the address plan (the network index the CLC gave the group). The router is the block's
 * second address (net+1), held by the CC; guests get net+2 to net+n-2.
 */
public record ActiveNetwork(GroupRef group, int vlan, Ipv4Block block) {
  public String router() {
    return block.address(1);
  }
}
