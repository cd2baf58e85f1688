package com.eucalyptus.cc.network;

import com.eucalyptus.runtime.network.transport.NetworkTransport;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A transport that records what the CC asks of it instead of making bridges: for the tests of
 * the CC's logic and its SOAP side, which check what the CC asks (which network, which peers).
 * The real transports are tested against the kernel on their own (runtime's VxlanNamespaceTest)
 * and inside the CC by ManagedNamespaceTest.
 */
public final class RecordingTransport implements NetworkTransport {
  /** "ensure <vlan> <peers…>" and "remove <vlan>", in order */
  public final List<String> calls = new CopyOnWriteArrayList<>();
  private final String localAddress;

  public RecordingTransport(String localAddress) {
    this.localAddress = localAddress;
  }

  @Override
  public String name() {
    return "vxlan";
  }

  @Override
  public String problem() {
    return null;
  }

  @Override
  public String ensure(int vlan, List<String> peers) {
    calls.add(("ensure " + vlan + " " + String.join(" ", peers)).strip());
    return bridgeName(vlan);
  }

  @Override
  public void remove(int vlan) {
    calls.add("remove " + vlan);
  }

  @Override
  public int guestMtu() {
    return 1450;
  }

  @Override
  public String localAddress() {
    return localAddress;
  }

  @Override
  public int port() {
    return 4789;
  }
}
