package com.eucalyptus.walrus.metadata;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A multipart upload in progress: where it will land and the headers/ACL the object will get. */
@Entity
@Table(name = "walrus_uploads")
public class UploadEntity {
  @Id
  @Column(name = "upload_id", length = 64)
  public String uploadId;
  @Column(name = "bucket_name", length = 255, nullable = false)
  public String bucket;
  @Column(name = "object_key", length = 1024, nullable = false)
  public String key;
  @Column(name = "owner_id", length = 64)
  public String ownerId;
  @Column(name = "initiated_ms")
  public long initiatedMillis;
  @Embedded
  public StoredHeaders headers = new StoredHeaders();
  @Column(name = "acl", length = 8192)
  public String acl;
}
