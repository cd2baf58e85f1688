package com.eucalyptus.nc.instances;

import com.eucalyptus.nc.hypervisor.HypervisorType;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The eucalyptus.conf settings instances are run with.
 *
 * @param instancePath INSTANCE_PATH: instance folders are {@code INSTANCE_PATH/<user>/<instance id>}
 * @param owner the mark this NC puts on its domains (its INSTANCE_PATH), so NCs sharing a host keep apart
 * @param bridge VNET_BRIDGE
 * @param swapMb SWAP_SIZE (MB)
 * @param manualCleanup MANUAL_INSTANCES_CLEANUP: keep an instance's files after it ends
 * @param teardownRetention how long an ended instance is still reported (as Teardown)
 */
public record InstanceSettings(Path instancePath, String owner, HypervisorType type, String bridge, long swapMb,
    boolean manualCleanup, Duration teardownRetention) {
}
