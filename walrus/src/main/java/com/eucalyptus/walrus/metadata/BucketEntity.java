package com.eucalyptus.walrus.metadata;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A bucket: its owner (canonical id), creation time, location constraint and ACL. */
@Entity
@Table(name = "walrus_buckets")
public class BucketEntity {
  @Id
  @Column(name = "bucket_name", length = 255)
  public String name;
  @Column(name = "owner_id", length = 64, nullable = false)
  public String ownerId;
  @Column(name = "created_ms")
  public long createdMillis;
  @Column(name = "location", length = 64)
  public String location;
  /** The grants, encoded by acl.AccessControlList#encode. */
  @Column(name = "acl", length = 8192)
  public String acl;
}
