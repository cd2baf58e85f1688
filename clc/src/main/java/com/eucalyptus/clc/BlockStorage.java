package com.eucalyptus.clc;

import com.eucalyptus.clc.properties.SystemProperties;
import com.eucalyptus.runtime.config.EucalyptusConf;
import com.eucalyptus.runtime.config.EucaPaths;
import com.eucalyptus.storage.controller.StorageConfig;
import com.eucalyptus.storage.controller.StorageController;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The block-storage service as the CLC starts it: the storage controller, or why there is none
 * (DISABLE_EBS="Y" in eucalyptus.conf, or the storage controller's problem on this host). Every
 * volume action answers that reason while there is one.
 */
record BlockStorage(StorageController controller, String disabled) {
  private static final Logger LOG = LogManager.getLogger(BlockStorage.class);

  /**
   * Opens the storage controller with the backend, volumes folder and export address the system
   * properties name (1.5.2's layout otherwise); a controller that cannot run here stays closed and
   * its reason is every volume action's answer, and the CLC starts all the same.
   */
  static BlockStorage start(EucaPaths paths, EucalyptusConf conf, SystemProperties properties) {
    if (conf.getBoolean("DISABLE_EBS", false)) {
      LOG.info("block storage is off (DISABLE_EBS)");
      return new BlockStorage(null, "DISABLE_EBS is \"Y\" in eucalyptus.conf");
    }
    StorageConfig config = StorageConfig.defaults(paths, exportHost(conf, properties))
        .withBackend(properties.get(SystemProperties.STORAGE_BACKEND))
        .withVolumesDir(properties.get(SystemProperties.VOLUMES_PATH));
    try {
      StorageController controller = StorageController.open(config);
      LOG.info("block storage: the {} backend, volumes in {}, exports at {}", controller.backendName(),
          config.volumesDir(), config.exportHost());
      return new BlockStorage(controller, null);
    } catch (IOException | IllegalArgumentException e) {
      LOG.error("the storage controller could not start: {}", e.getMessage(), e);
      return new BlockStorage(null, "the storage controller could not start: " + e.getMessage());
    }
  }

  /** Why volumes cannot be served now, or null. */
  String problem() {
    if (disabled != null) {
      return disabled;
    }
    return controller.problem();
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
