package com.eucalyptus.walrus.metadata;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

/**
 * An object's metadata row. {@code fileId} names its bytes on disk (storage.ObjectFiles); the
 * file name is a generated id, never the key. A row is committed only after its file is complete
 * and in place, so a row always points at a whole object.
 */
@Entity
@Table(name = "walrus_objects", uniqueConstraints = @UniqueConstraint(columnNames = {"bucket_name", "object_key"}))
public class ObjectEntity {
  @Id
  @Column(name = "object_id", length = 64)
  public String id;
  @Column(name = "bucket_name", length = 255, nullable = false)
  public String bucket;
  @Column(name = "object_key", length = 1024, nullable = false)
  public String key;
  @Column(name = "file_id", length = 64, nullable = false)
  public String fileId;
  @Column(name = "size_bytes")
  public long size;
  @Column(name = "etag", length = 64)
  public String etag;
  @Column(name = "last_modified_ms")
  public long lastModified;
  @Column(name = "owner_id", length = 64)
  public String ownerId;
  @Embedded
  public StoredHeaders headers = new StoredHeaders();
  @Column(name = "acl", length = 8192)
  public String acl;
}
