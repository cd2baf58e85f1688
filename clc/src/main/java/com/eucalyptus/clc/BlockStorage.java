package com.eucalyptus.clc;

import com.eucalyptus.clc.properties.SystemProperties;
import com.eucalyptus.runtime.config.EucalyptusConf;
import com.eucalyptus.storage.backend.VolumeBackend;

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
}
