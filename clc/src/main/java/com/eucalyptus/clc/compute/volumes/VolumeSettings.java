package com.eucalyptus.clc.compute.volumes;

import com.eucalyptus.clc.properties.SystemProperties;

/**
 * 1.5.2's two volume limits, read from the system properties at each use (so a change with
 * euca_conf --set-property or the console holds at once).
 *
 * @param maxSizeGb the largest volume, in GB (GiB: 2^30 bytes, as EC2's)
 * @param totalGb the space all volumes that are creating, available or in use may take together
 */
public record VolumeSettings(long maxSizeGb, long totalGb) {
  public static final long DEFAULT_MAX_SIZE_GB = 10;
  public static final long DEFAULT_TOTAL_GB = 50;

  public static VolumeSettings of(SystemProperties p) {
    return new VolumeSettings(p.number(SystemProperties.VOLUME_MAX_SIZE_GB, DEFAULT_MAX_SIZE_GB),
        p.number(SystemProperties.VOLUMES_MAX_TOTAL_GB, DEFAULT_TOTAL_GB));
  }
}
