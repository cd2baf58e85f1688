package com.eucalyptus.runtime.network;

import com.eucalyptus.runtime.config.BadConfigurationException;
import java.util.Arrays;
import java.util.Locale;

/**
 * VNET_MODE: how guests get their network. The CC and the NC both read it and both refuse to
 * start on a value they do not know; neither ever falls back to another mode, since a cloud
 * quietly running in a mode the administrator did not choose is worse than one that does not
 * start.
 */
public enum VnetMode {
  /** guests on VNET_BRIDGE, addresses from the site's DHCP server */
  SYSTEM("SYSTEM"),
  /** the CC's dhcpd hands out the MAC=IP pairs of VNET_MACMAP */
  STATIC("STATIC"),
  /** a block of addresses per security group, elastic IPs, groups enforced on the CC; one bridge */
  MANAGED_NOVLAN("MANAGED-NOVLAN"),
  /** MANAGED-NOVLAN plus a network of its own per group: a bridge per group joined by VNET_TRANSPORT (vlan or vxlan) */
  MANAGED("MANAGED");

  private final String confValue;

  VnetMode(String confValue) {
    this.confValue = confValue;
  }

  /** The value as eucalyptus.conf spells it. */
  public String confValue() {
    return confValue;
  }

  /**
   * The mode named by {@code value} (any case; unset or blank means SYSTEM, 1.5.2's default).
   * Unknown values are a {@link BadConfigurationException}, rather than a quiet downgrade.
   */
  public static VnetMode parse(String value) {
    if (value == null || value.isBlank()) {
      return SYSTEM;
    }
    String v = value.strip().toUpperCase(Locale.ROOT);
    for (VnetMode m : values()) {
      if (m.confValue.equals(v)) {
        return m;
      }
    }
    throw BadConfigurationException.of("VNET_MODE", value, "is not a networking mode: use one of "
        + Arrays.stream(values()).map(VnetMode::confValue).toList());
  }

  @Override
  public String toString() {
    return confValue;
  }
}
