package com.eucalyptus.clc.compute.instances;

import com.eucalyptus.clc.images.Images;
import com.eucalyptus.clc.metadata.InstanceMetadata;
import com.eucalyptus.clc.metadata.InstanceMetadataSource;
import com.eucalyptus.clc.persistence.InstanceEntity;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metadata service's view of the instance store: the pending or running instance whose
 * private address a request came from. The block-device-mapping follows the NC's disk layout for
 * the cloud's HYPERVISOR (docs/nc.md): kvm and qemu boot from the first partition of one virtio
 * disk with ephemeral and swap as further disks, xen from sda1 with sda2 and sda3.
 */
public final class StoredInstanceMetadata implements InstanceMetadataSource {
  private final Instances store;
  private final String hypervisor;

  public StoredInstanceMetadata(Instances store, String hypervisor) {
    this.store = store;
    this.hypervisor = hypervisor == null ? "kvm" : hypervisor.trim().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public Optional<InstanceMetadata> forPrivateAddress(String address) {
    if (address == null || address.isBlank() || address.equals("0.0.0.0")) {
      return Optional.empty();
    }
    return store.aliveAt(address).map(this::metadata);
  }

  InstanceMetadata metadata(InstanceEntity e) {
    List<String> keys = new ArrayList<>();
    if (e.keyText != null && !e.keyText.isBlank()) {
      keys.add(e.keyText.strip());
    }
    byte[] userData = e.userData == null || e.userData.isEmpty() ? new byte[0] : Base64.getMimeDecoder().decode(e.userData);
    return new InstanceMetadata(e.instanceId, e.reservationId, e.imageId, e.manifestLocation, e.kernelId, e.ramdiskId,
        List.copyOf(Images.words(e.productCodes)), e.instanceType, e.launchIndex, e.privateIp, hostname(e.privateIp),
        e.publicIp, hostname(e.publicIp), e.cluster, List.copyOf(Images.words(e.groupNames)), e.keyName, keys,
        blockDevices(), userData);
  }

  /** 1.5.2 had no DNS of its own: host names are the addresses. */
  private static String hostname(String ip) {
    return ip == null ? "" : ip;
  }

  Map<String, String> blockDevices() {
    Map<String, String> m = new LinkedHashMap<>();
    if (hypervisor.equals("xen")) {
      m.put("ami", "sda1");
      m.put("ephemeral0", "sda2");
      m.put("swap", "sda3");
      m.put("root", "/dev/sda1");
    } else {
      m.put("ami", "vda1");
      m.put("ephemeral0", "vdb");
      m.put("swap", "vdc");
      m.put("root", "/dev/vda1");
    }
    return m;
  }
}
