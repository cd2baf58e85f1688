package com.eucalyptus.nc.hypervisor;

/**
 * A volume as the guest gets it: an NBD export reached over TLS, seen by the guest as a virtio
 * disk whose serial is the volume id (so it shows in the guest as
 * {@code /dev/disk/by-id/virtio-<volumeId>} and {@code /sys/block/vdX/serial}).
 *
 * @param serial the volume id
 * @param host the storage host (name or address, as the export's certificate names it)
 * @param port the export's TCP port
 * @param export the NBD export name
 * @param target the device libvirt knows the disk by (vdb, vdc, ...); the guest names its disks by
 *     probe order, so the name inside the guest may differ
 */
public record NetworkDisk(String serial, String host, int port, String export, String target) {
}
