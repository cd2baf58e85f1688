package com.eucalyptus.nc.instances;

import java.net.URI;
import java.util.List;

/**
 * What ncRunInstance asks for, with 1.5.2's field names. {@code keyName} is the SSH public key's
 * text (not the key pair's name), as the CLC and CC send it.
 */
public record LaunchRequest(String instanceId, String reservationId, String userId, String imageId, URI imageUrl,
    String kernelId, URI kernelUrl, String ramdiskId, URI ramdiskUrl, int memoryMb, int cores, int diskGb, String keyName,
    String privateMacAddress, String publicMacAddress, int vlan, String userData, String launchIndex, List<String> groupNames) {

  public LaunchRequest {
    groupNames = groupNames == null ? List.of() : List.copyOf(groupNames);
  }
}
