package com.eucalyptus.cc.network;

import com.eucalyptus.cc.network.model.IngressRule;
import com.eucalyptus.cc.network.model.PublicAssignment;
import java.util.List;

/**
 * What SYSTEM and STATIC share: the cloud runs no network of its own for the groups, so
 * StartNetwork, StopNetwork and ConfigureNetwork succeed and do nothing (as in 1.5.2), and there
 * are no elastic IPs (UnsupportedOperation, which tells the CLC this cluster has no pool).
 */
abstract class UnmanagedMode implements NetworkMode {
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
    throw unsupported();
  }

  @Override
  public void unassignAddress(String publicIp, String privateIp) throws NetworkRefusal {
    throw unsupported();
  }

  @Override
  public List<PublicAssignment> publicAddresses() throws NetworkRefusal {
    throw unsupported();
  }

  private NetworkRefusal unsupported() {
    return new NetworkRefusal("UnsupportedOperation", "public addresses (elastic IPs) need VNET_MODE "
        + "\"MANAGED-NOVLAN\"; this cluster runs in " + name() + " mode");
  }
}
