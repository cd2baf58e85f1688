package com.eucalyptus.clc.metadata;

import java.util.Optional;

/**
 * Finds the instance a metadata request comes from. In 1.5.2 the CLC looks the instance up by the
 * request's source address (the guest's private address, after the site's or the CC's DNAT of
 * 169.254.169.254:80 to the CLC's :8773).
 */
public interface InstanceMetadataSource {

  /** The running (pending or running) instance whose private address is {@code address}, if any. */
  Optional<InstanceMetadata> forPrivateAddress(String address);
}
