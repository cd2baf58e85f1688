package com.eucalyptus.runtime.network.transport;

import com.eucalyptus.runtime.config.BadConfigurationException;
import com.eucalyptus.runtime.exec.CommandRunner;
import com.eucalyptus.runtime.network.VnetKeys;
import java.util.Locale;

/**
 * The one place a {@link NetworkTransport} is made from eucalyptus.conf, on the CC and on the
 * nodes alike:
 * <ul>
 *   <li>VNET_TRANSPORT: {@code vlan} (the default, as 1.5.2) or {@code vxlan} (any case); anything
 *       else stops the daemon naming the value;</li>
 *   <li>VNET_LOCALIP: this host's address on the underlay; default the first IPv4 address of the
 *       underlay interface (VNET_INTERFACE on a node, VNET_PRIVINTERFACE on the CC, passed in by
 *       the caller). vxlan cannot work without one; vlan does not need it.</li>
 * </ul>
 */
public final class NetworkTransports {
  public static final String TRANSPORT_KEY = "VNET_TRANSPORT";
  public static final String LOCAL_IP_KEY = "VNET_LOCALIP";

  private NetworkTransports() {
  }

  /**
   * @param underlayKey the key that names the underlay interface, for messages
   * @param underlay that interface
   */
  public static NetworkTransport fromConf(VnetKeys keys, String underlayKey, String underlay, CommandRunner runner) {
    String name = transportName(keys);
    String local = keys.find(LOCAL_IP_KEY).orElse(null);
    if (local != null) {
      if (!isIpv4(local)) {
        throw BadConfigurationException.of(LOCAL_IP_KEY, local, "is not an IPv4 address");
      }
    } else if (underlay != null) {
      local = IpLinks.firstAddress(runner, underlay);
    }
    if (name.equals("vlan")) {
      return new VlanTransport(runner, underlayKey, underlay, local);
    }
    if (local == null) {
      throw BadConfigurationException.missing(LOCAL_IP_KEY, "VNET_TRANSPORT=\"vxlan\" needs this host's own address "
          + "on the network to the other hosts, and " + underlayKey + "=\"" + underlay + "\" has no IPv4 address to "
          + "take it from");
    }
    return new VxlanTransport(runner, underlayKey, underlay, local);
  }

  /** VNET_TRANSPORT, checked: "vlan" (unset) or "vxlan". */
  public static String transportName(VnetKeys keys) {
    String v = keys.find(TRANSPORT_KEY).orElse("vlan");
    String name = v.toLowerCase(Locale.ROOT);
    if (!name.equals("vlan") && !name.equals("vxlan")) {
      throw BadConfigurationException.of(TRANSPORT_KEY, v, "is not a transport: use \"vlan\" (802.1q vlans, as "
          + "1.5.2; the default) or \"vxlan\" (unicast VXLAN, for networks that are not vlan clean or kernels "
          + "without 8021q)");
    }
    return name;
  }

  static boolean isIpv4(String s) {
    String[] p = s.split("\\.", -1);
    if (p.length != 4) {
      return false;
    }
    for (String x : p) {
      if (!x.matches("\\d{1,3}") || Integer.parseInt(x) > 255) {
        return false;
      }
    }
    return true;
  }
}
