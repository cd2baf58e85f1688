package com.eucalyptus.clc.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

/**
 * One instance as the CLC knows it (clc/compute/instances keeps it): what RunInstances asked for,
 * where it runs, and its last known state. Kept in the database so that a restarted CLC still
 * knows its instances and reconciles them with what the CC reports. Times are epoch milliseconds.
 */
@Entity
@Table(name = "euca_instances", indexes = {@Index(name = "euca_instances_owner", columnList = "owner"),
    @Index(name = "euca_instances_private_ip", columnList = "private_ip")})
public class InstanceEntity {
  @Id
  @Column(name = "instance_id", length = 16)
  public String instanceId;
  @Column(name = "reservation_id", length = 16, nullable = false)
  public String reservationId;
  @Column(name = "owner", length = 64, nullable = false)
  public String owner;
  @Column(name = "image_id", length = 32)
  public String imageId;
  /** the image's manifest in Walrus (bucket/name.manifest.xml), for the metadata's ami-manifest-path */
  @Column(name = "manifest_location", length = 512)
  public String manifestLocation;
  @Column(name = "kernel_id", length = 32)
  public String kernelId;
  @Column(name = "ramdisk_id", length = 32)
  public String ramdiskId;
  @Column(name = "product_codes", length = 1024)
  public String productCodes;
  @Column(name = "instance_type", length = 32)
  public String instanceType;
  @Column(name = "key_name", length = 255)
  public String keyName;
  /** the key pair's OpenSSH public key line at launch (the key may be deleted later) */
  @Column(name = "key_text", length = 8192)
  public String keyText;
  /** base64 of the user data (at most 16 KB raw, so at most 21848 characters) */
  @Column(name = "user_data", length = 22000)
  public String userData;
  /** security group names, space-separated */
  @Column(name = "group_names", length = 4096)
  public String groupNames;
  /** the availability zone: the cluster's name */
  @Column(name = "cluster", length = 64)
  public String cluster;
  /** the URL of the NC that runs it, as the CC reports it */
  @Column(name = "service_tag", length = 512)
  public String serviceTag;
  @Column(name = "launch_index")
  public int launchIndex;
  @Column(name = "launch_millis")
  public long launchMillis;
  @Column(name = "private_ip", length = 64)
  public String privateIp;
  @Column(name = "public_ip", length = 64)
  public String publicIp;
  /** pending, running, shutting-down or terminated */
  @Column(name = "state", length = 16, nullable = false)
  public String state;
  @Column(name = "state_millis")
  public long stateMillis;
  /** when the CC last reported it from a node that answered */
  @Column(name = "last_seen_millis")
  public long lastSeenMillis;
  /** the CC's own lastSeen of it last time (CC clock): a change means its node answered again */
  @Column(name = "cc_last_seen_millis")
  public long ccLastSeenMillis;
  /** launched with AddressingType=private: never given a public address by the system (null for older rows: false) */
  @Column(name = "private_addressing")
  public Boolean privateAddressing;
  /** a user or the admin asked to terminate it */
  @Column(name = "terminate_requested")
  public boolean terminateRequested;
}
