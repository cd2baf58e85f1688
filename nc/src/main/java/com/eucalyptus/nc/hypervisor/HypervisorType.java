package com.eucalyptus.nc.hypervisor;

import java.util.Locale;

/**
 * HYPERVISOR in eucalyptus.conf. {@code qemu} (beyond 1.5.2) is plain QEMU emulation for hosts
 * without hardware virtualisation; it is driven through the same libvirt driver as kvm.
 */
public enum HypervisorType {
  KVM("qemu:///system"), QEMU("qemu:///system"), XEN("xen:///");

  private final String defaultUri;

  HypervisorType(String defaultUri) {
    this.defaultUri = defaultUri;
  }

  public String defaultUri() {
    return defaultUri;
  }

  public static HypervisorType parse(String value) {
    try {
      return valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("HYPERVISOR=\"" + value + "\" is not one of kvm, xen, qemu");
    }
  }
}
