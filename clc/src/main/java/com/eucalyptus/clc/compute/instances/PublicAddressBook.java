package com.eucalyptus.clc.compute.instances;

import java.util.Map;
import java.util.Set;

/**
 * The public addresses as the CLC has assigned them, at one moment: the poller shows these as the
 * instances' public addresses rather than what a CC's report says, so that DescribeInstances agrees
 * with DescribeAddresses even when a report was made just before an Associate or Disassociate.
 *
 * @param assigned instance id → its public address
 * @param pool every address of the public pools
 */
public record PublicAddressBook(Map<String, String> assigned, Set<String> pool) {
  public static final PublicAddressBook NONE = new PublicAddressBook(Map.of(), Set.of());

  /** The instance's public address: its assigned one, else — where the report names a pool address — its private one. */
  public String publicIpOf(String instanceId, String reported, String privateIp) {
    String own = assigned.get(instanceId);
    if (own != null) {
      return own;
    }
    return reported != null && pool.contains(reported) ? privateIp : reported;
  }
}
