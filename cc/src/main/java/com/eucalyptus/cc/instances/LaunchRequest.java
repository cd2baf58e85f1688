package com.eucalyptus.cc.instances;

import java.util.List;

/**
 * RunInstances as the CC carries it out: the instances to start (ids, MACs, launch indexes and
 * everything else already filled in), how many must start for the request to succeed, and where
 * the NCs fetch the image, kernel and ramdisk.
 */
public record LaunchRequest(List<Instance> instances, int minCount, String imageUrl, String kernelUrl,
    String ramdiskUrl) {
  public LaunchRequest {
    instances = List.copyOf(instances);
  }
}
