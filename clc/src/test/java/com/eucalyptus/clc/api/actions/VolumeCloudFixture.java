package com.eucalyptus.clc.api.actions;

import com.eucalyptus.clc.TestStorage;
import com.eucalyptus.clc.cluster.InMemoryCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the volume tests share: a fresh {@link NetworkedCloud} over a real HSQLDB and real sparse
 * volume files under a temporary home, with the in-test CC ({@link InMemoryCluster}) as the tier
 * boundary, and the few calls every volume test makes.
 */
abstract class VolumeCloudFixture {
  static final long GIB = 1L << 30;
  @TempDir
  Path home;
  NetworkedCloud cloud;
  InMemoryCluster cc;

  @BeforeEach
  void startCloud() {
    cc = new InMemoryCluster();
    cloud = new NetworkedCloud(home, cc);
  }

  @AfterEach
  void closeCloud() {
    cloud.close();
  }

  /** The real storage controller's files. */
  TestStorage disk() {
    return cloud.storageHost;
  }

  /** The storage host's export of the volume, or null when it is not exported. */
  String exportOf(String volumeId) throws Exception {
    return cloud.storage.exportOf(volumeId);
  }

  /** Alice's new volume of {@code size} GB in cluster1: its id. */
  String create(String size) throws Exception {
    return NetworkedCloud.first(cloud.call("CreateVolume", cloud.alice, "Size", size, "AvailabilityZone", "cluster1"),
        "volumeId");
  }
}
