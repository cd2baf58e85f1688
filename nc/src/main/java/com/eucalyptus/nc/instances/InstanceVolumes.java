package com.eucalyptus.nc.instances;

import com.eucalyptus.nc.hypervisor.Hypervisor;
import com.eucalyptus.nc.hypervisor.HypervisorException;
import com.eucalyptus.nc.hypervisor.HypervisorType;
import com.eucalyptus.nc.hypervisor.NetworkDisk;
import com.eucalyptus.nc.volumes.NbdUrl;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * ncAttachVolume and ncDetachVolume: a volume's NBD export hot-plugged into a running guest as a
 * virtio disk, and unplugged again. Each step is written to the instance's record before the
 * next, so that an NC stopped at any point (kill -9 included) finds on restart what the guest has.
 * A refusal is an exception whose message starts with the EC2 error code the CC passes on
 * ("Code: message").
 */
public final class InstanceVolumes {
  private static final Logger LOG = LogManager.getLogger(InstanceVolumes.class);
  /** virtio-blk serials hold at most 20 bytes */
  private static final Pattern VOLUME_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,19}");
  private static final Pattern LOCAL_DEV = Pattern.compile("(?:/dev/)?(?:sd|vd|xvd|hd)([a-z])");
  private final InstanceManager instances;
  private final Supplier<String> credentialsProblem;
  private final Duration detachWait;

  /**
   * @param credentialsProblem makes the node's NBD client credentials ready; null when they are,
   *     else why volumes cannot be attached (see {@link com.eucalyptus.nc.volumes.NbdClientCredentials#ensure})
   * @param detachWait how long a detach waits for the guest to release the disk
   */
  public InstanceVolumes(InstanceManager instances, Supplier<String> credentialsProblem, Duration detachWait) {
    this.instances = instances;
    this.credentialsProblem = credentialsProblem;
    this.detachWait = detachWait;
  }

  /** Attaches the volume; attaching the same volume with the same remoteDev again changes nothing. */
  public VolumeAttachment attach(String instanceId, String volumeId, String remoteDev, String localDev)
      throws IOException, HypervisorException {
    if (volumeId == null || !VOLUME_ID.matcher(volumeId).matches()) {
      throw new IllegalArgumentException("InvalidParameterValue: volumeId \"" + volumeId + "\" is missing or not a plain name of "
          + "at most 20 characters");
    }
    NbdUrl url;
    try {
      url = NbdUrl.parse(remoteDev);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("InvalidParameterValue: " + e.getMessage(), e);
    }
    Matcher dev = LOCAL_DEV.matcher(localDev == null ? "" : localDev.strip());
    if (!dev.matches()) {
      throw new IllegalArgumentException("InvalidParameterValue: localDev \"" + localDev + "\" is not a device name such as "
          + "/dev/sdb (sd, vd, xvd or hd and one letter)");
    }
    if (instances.settings().type() == HypervisorType.XEN) {
      throw new IllegalStateException("UnsupportedOperation: volumes are attached as NBD network disks, which this node's "
          + "hypervisor (xen) does not take; use HYPERVISOR=kvm or qemu");
    }
    Instance i = instance(instanceId);
    Hypervisor hv = instances.hypervisor();
    synchronized (i.volumeOperations) {
      VolumeAttachment v = reserve(i, volumeId, remoteDev.strip(), localDev.strip(), dev.group(1).charAt(0));
      if (VolumeAttachment.ATTACHED.equals(v.state())) {
        return v;
      }
      try {
        hv.attachDisk(instanceId, disk(v, url));
      } catch (HypervisorException | RuntimeException e) {
        i.removeVolume(volumeId);
        instances.save(i);
        throw new IllegalStateException("attaching " + volumeId + " (" + remoteDev + ") to " + instanceId + " failed: "
            + e.getMessage(), e);
      }
      v = v.in(VolumeAttachment.ATTACHED);
      i.putVolume(v);
      instances.save(i);
      LOG.info("instance {}: volume {} attached as {} ({} asked for) from {}", instanceId, volumeId, v.target(), localDev,
          remoteDev);
      return v;
    }
  }

  /**
   * The checks and the record entry ("attaching"), node-wide at once so that two attaches of one
   * volume or export to two instances cannot both pass; returns the attachment as it already is
   * when the same attach was done before.
   */
  private synchronized VolumeAttachment reserve(Instance i, String volumeId, String remoteDev, String localDev, char hint)
      throws IOException, HypervisorException {
    String instanceId = i.id();
    Hypervisor hv = instances.hypervisor();
    VolumeAttachment same = i.volume(volumeId);
    if (same != null) {
      if (VolumeAttachment.ATTACHED.equals(same.state()) && same.remoteDev().equals(remoteDev)) {
        LOG.info("instance {}: volume {} is already attached as {}: nothing to do", instanceId, volumeId, same.target());
        return same;
      }
      throw new IllegalStateException("VolumeInUse: volume " + volumeId + " is already " + same.state() + " on " + instanceId);
    }
    for (Instance other : instances.all()) {
      for (VolumeAttachment v : other.volumes()) {
        if (v.volumeId().equals(volumeId) || v.remoteDev().equals(remoteDev)) {
          throw new IllegalStateException("VolumeInUse: " + (v.volumeId().equals(volumeId) ? "volume " + volumeId
              : "the export " + remoteDev + " (volume " + v.volumeId() + ")") + " is " + v.state() + " on " + other.id());
        }
        if (other == i && localDev.equals(v.localDev())) {
          throw new IllegalArgumentException("InvalidParameterValue: " + localDev + " is already in use on " + instanceId
              + " (volume " + v.volumeId() + ")");
        }
      }
    }
    if (i.state() != InstanceState.EXTANT) {
      throw new IllegalStateException("IncorrectInstanceState: instance " + instanceId + " is " + i.state().stateName()
          + ", not running: volumes attach only to running instances");
    }
    String problem = credentialsProblem.get();
    if (problem != null) {
      throw new IllegalStateException("this node cannot reach volumes: " + problem);
    }
    String target = freeTarget(hv, i, hint);
    VolumeAttachment v = new VolumeAttachment(volumeId, remoteDev, localDev, target, VolumeAttachment.ATTACHING);
    i.putVolume(v);
    instances.save(i);
    return v;
  }

  /**
   * Asks the guest to release the volume and waits for it. When the guest does not let go in
   * time: without {@code force} the volume stays attached and the refusal says so; with
   * {@code force} the NC stops reporting it (libvirt cannot take a disk from a guest that does
   * not release it: QEMU keeps its connection until the guest lets go or ends, and the storage
   * side ending the export cuts it).
   */
  public void detach(String instanceId, String volumeId, boolean force) throws IOException, HypervisorException {
    Instance i = instance(instanceId);
    synchronized (i.volumeOperations) {
      VolumeAttachment v = i.volume(volumeId);
      if (v == null) {
        throw new IllegalArgumentException("InvalidAttachment.NotFound: volume " + volumeId + " is not attached to " + instanceId
            + " on this node");
      }
      i.putVolume(v.in(VolumeAttachment.DETACHING));
      instances.save(i);
      boolean released;
      try {
        released = i.state() != InstanceState.EXTANT
            || instances.hypervisor().detachDisk(instanceId, disk(v, NbdUrl.parse(v.remoteDev())), detachWait);
      } catch (HypervisorException | RuntimeException e) {
        i.putVolume(v.in(VolumeAttachment.ATTACHED));
        instances.save(i);
        throw new IllegalStateException("detaching " + volumeId + " from " + instanceId + " failed: " + e.getMessage(), e);
      }
      if (!released && !force) {
        i.putVolume(v.in(VolumeAttachment.ATTACHED));
        instances.save(i);
        throw new IllegalStateException("IncorrectState: the guest of " + instanceId + " has not released volume " + volumeId
            + " (" + v.target() + ") within " + detachWait.toSeconds() + " s; it stays attached (try again, or detach with force)");
      }
      i.removeVolume(volumeId);
      instances.save(i);
      if (released) {
        LOG.info("instance {}: volume {} detached ({})", instanceId, volumeId, v.target());
      } else {
        LOG.warn("instance {}: the guest has not released volume {} ({}); forced: no longer reported, QEMU keeps the disk until "
            + "the guest lets go or the export ends", instanceId, volumeId, v.target());
      }
    }
  }

  private Instance instance(String instanceId) {
    try {
      return instances.find(instanceId);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("InvalidInstanceID.NotFound: " + e.getMessage(), e);
    }
  }

  /**
   * vd + the hint's letter when free (sdb -> vdb), else the first free vdX from vdb: the guest's
   * own names (vda root, vdb ephemeral, vdc swap here) are taken, and a disk the guest is still
   * releasing keeps its name.
   */
  private static String freeTarget(Hypervisor hv, Instance i, char hint) throws HypervisorException {
    Set<String> used = new HashSet<>();
    hv.disks(i.id()).forEach(d -> used.add(d.target()));
    i.volumes().forEach(v -> used.add(v.target()));
    if (hint != 'a' && !used.contains("vd" + hint)) {
      return "vd" + hint;
    }
    for (char c = 'b'; c <= 'z'; c++) {
      if (!used.contains("vd" + c)) {
        return "vd" + c;
      }
    }
    throw new IllegalStateException("InvalidParameterValue: instance " + i.id() + " has no free device left (vdb to vdz in use)");
  }

  private static NetworkDisk disk(VolumeAttachment v, NbdUrl url) {
    return new NetworkDisk(v.volumeId(), url.host(), url.port(), url.export(), v.target());
  }
}
