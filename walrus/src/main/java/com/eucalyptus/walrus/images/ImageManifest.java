package com.eucalyptus.walrus.images;

import java.util.List;

/**
 * An AMI bundle manifest (version 2007-10-10), as written by ec2-ami-tools and euca2ools.
 * Hex fields (keys, IVs, digests, signature) are kept as the manifest spells them.
 *
 * @param signedText the exact text the bundler signed: the {@code <machine_configuration>}
 *     element followed by the {@code <image>} element, byte for byte from the manifest
 */
public record ImageManifest(
    String version,
    String bundlerName,
    String bundlerVersion,
    String architecture,
    String kernelId,
    String ramdiskId,
    List<String> productCodes,
    List<BlockDeviceMapping> blockDeviceMappings,
    String imageName,
    String user,
    String imageType,
    String kernelName,
    String digest,
    String digestAlgorithm,
    long size,
    long bundledSize,
    String ec2EncryptedKey,
    String userEncryptedKey,
    String ec2EncryptedIv,
    String userEncryptedIv,
    String keyAlgorithm,
    List<Part> parts,
    String signature,
    String signedText) {

  /** One encrypted part: its object name beside the manifest and its SHA1 (hex). */
  public record Part(int index, String filename, String digest) {}

  /** A {@code mapping} of {@code block_device_mapping}: virtual name (ami, root, swap) to device. */
  public record BlockDeviceMapping(String virtualName, String device) {}
}
