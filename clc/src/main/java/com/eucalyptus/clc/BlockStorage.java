package com.eucalyptus.clc;

import com.eucalyptus.clc.properties.SystemProperties;
import com.eucalyptus.runtime.config.EucalyptusConf;
import com.eucalyptus.storage.backend.VolumeBackend;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/**
 * The block-storage service as the CLC starts it: the volume backend, or why there is none
 * (DISABLE_EBS="Y" in eucalyptus.conf, or the backend's own problem on this host). Every volume
 * action answers that reason while there is no backend.
 */
record BlockStorage(VolumeBackend backend, String disabled) {
  static BlockStorage start(EucalyptusConf conf, SystemProperties properties) {
    if (conf.getBoolean("DISABLE_EBS", false)) {
      return new BlockStorage(null, "DISABLE_EBS is \"Y\" in eucalyptus.conf");
    }
    return new BlockStorage(null, "this CLC has no volume backend built in yet");
  }

  /** Why volumes cannot be served now, or null. */
  String problem() {
    if (disabled != null) {
      return disabled;
    }
    return backend.problem();
  }

  /**
   * The address the nodes reach the exports at: the storage.export.host property, else the first
   * IPv4 address of VNET_INTERFACE (the interface 1.5.2's AoE exports went out on); null when
   * neither gives one (the backend then says the address is not configured).
   */
  static String exportHost(EucalyptusConf conf, SystemProperties properties) {
    String configured = properties.get(SystemProperties.STORAGE_EXPORT_HOST).strip();
    if (!configured.isEmpty()) {
      return configured;
    }
    String iface = conf.get("VNET_INTERFACE", "").strip();
    if (iface.isEmpty()) {
      return null;
    }
    try {
      NetworkInterface ni = NetworkInterface.getByName(iface);
      if (ni == null) {
        return null;
      }
      for (InetAddress a : Collections.list(ni.getInetAddresses())) {
        if (a instanceof Inet4Address) {
          return a.getHostAddress();
        }
      }
    } catch (SocketException e) {
      return null;
    }
    return null;
  }
}
