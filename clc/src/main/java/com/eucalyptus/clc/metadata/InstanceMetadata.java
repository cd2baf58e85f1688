package com.eucalyptus.clc.metadata;

import java.util.List;
import java.util.Map;

/**
 * What the metadata service at {@code :8773/latest/} tells one instance about itself (the keys of
 * 1.5.2's VmMetadata, shared/reference §6). Filled by the instance store, served by the metadata
 * servlet; neither knows the other.
 *
 * @param blockDeviceMapping name → device, e.g. ami → sda1 / vda1, ephemeral0 → sda2, swap → sda3, root → /dev/sda1
 * @param publicKeys OpenSSH public key lines, index 0 first (empty when the instance has no key)
 * @param userData the raw user data (empty array when none was given)
 */
public record InstanceMetadata(
    String instanceId,
    String reservationId,
    String imageId,
    String manifestPath,
    String kernelId,
    String ramdiskId,
    List<String> productCodes,
    String instanceType,
    int launchIndex,
    String localIpv4,
    String localHostname,
    String publicIpv4,
    String publicHostname,
    String availabilityZone,
    List<String> securityGroups,
    String keyName,
    List<String> publicKeys,
    Map<String, String> blockDeviceMapping,
    byte[] userData) {
}
