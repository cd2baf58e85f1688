package com.eucalyptus.clc.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

/**
 * One EBS volume as the CLC knows it (clc/compute/volumes keeps it): its owner, zone and size, its
 * EC2 state and, while it is in use, its one attachment. The row is written before the storage
 * controller makes or changes anything, so that a CLC killed half-way finds, at its next start,
 * every volume it had begun with and settles it (creating: whole or failed; attaching/detaching:
 * as the CC and the export say). Times are epoch milliseconds.
 */
@Entity
@Table(name = "euca_volumes", indexes = {@Index(name = "euca_volumes_owner", columnList = "owner"),
    @Index(name = "euca_volumes_instance", columnList = "instance_id")})
public class VolumeEntity {
  @Id
  @Column(name = "volume_id", length = 16)
  public String volumeId;
  @Column(name = "owner", length = 64, nullable = false)
  public String owner;
  /** the availability zone: the cluster's name */
  @Column(name = "cluster", length = 64, nullable = false)
  public String cluster;
  @Column(name = "size_gb", nullable = false)
  public int sizeGb;
  /** the snapshot it was made from (issue 14); null for an empty volume */
  @Column(name = "snapshot_id", length = 16)
  public String snapshotId;
  /** creating, available, in-use, deleting, deleted or failed */
  @Column(name = "state", length = 16, nullable = false)
  public String state;
  @Column(name = "create_millis")
  public long createMillis;
  @Column(name = "state_millis")
  public long stateMillis;
  /** the instance it is attached to (state in-use), else null */
  @Column(name = "instance_id", length = 16)
  public String instanceId;
  /** the guest's device name the user asked for (/dev/sdb): a hint to the NC */
  @Column(name = "device", length = 64)
  public String device;
  /** attaching, attached or detaching while in use; null otherwise */
  @Column(name = "attach_state", length = 16)
  public String attachState;
  @Column(name = "attach_millis")
  public long attachMillis;
  /** the export the node attaches (nbd://host:port/export), known once exported */
  @Column(name = "remote_dev", length = 512)
  public String remoteDev;
}
