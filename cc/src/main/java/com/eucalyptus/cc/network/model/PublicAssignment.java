package com.eucalyptus.cc.network.model;

/** An address of VNET_PUBLICIPS and the private address it is assigned to (null when free). */
public record PublicAssignment(String publicIp, String privateIp) {
  public boolean assigned() {
    return privateIp != null;
  }
}
