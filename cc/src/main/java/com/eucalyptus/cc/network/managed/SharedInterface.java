package com.eucalyptus.cc.network.managed;

import java.util.List;

/**
 * MANAGED-NOVLAN: every network's router on VNET_PRIVINTERFACE, one segment for all, nothing to
 * make or take away; ncStartNetwork carries what 1.5.2's did ({@code localhost}, 1234).
 */
public final class SharedInterface implements GroupLinks {
  private final String privateInterface;

  public SharedInterface(String privateInterface) {
    this.privateInterface = privateInterface;
  }

  @Override
  public String interfaceOf(int vlan) {
    return privateInterface;
  }

  @Override
  public void ensure(int vlan) {
  }

  @Override
  public void remove(int vlan) {
  }

  @Override
  public int guestMtu() {
    return 0;
  }

  @Override
  public boolean oneSegment() {
    return true;
  }

  @Override
  public List<String> remoteHosts(String nodeHost) {
    return List.of("localhost");
  }

  @Override
  public int remoteHostPort() {
    return 1234;
  }

  @Override
  public boolean perNetworkOnNodes() {
    return false;
  }
}
