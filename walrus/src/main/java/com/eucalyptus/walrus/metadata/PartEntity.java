package com.eucalyptus.walrus.metadata;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One uploaded part of a multipart upload; its bytes are the file {@code fileId}. */
@Entity
@Table(name = "walrus_parts")
public class PartEntity {
  /** uploadId + "/" + partNumber: one row per part, a re-upload replaces it. */
  @Id
  @Column(name = "part_id", length = 80)
  public String id;
  @Column(name = "upload_id", length = 64, nullable = false)
  public String uploadId;
  @Column(name = "part_number")
  public int partNumber;
  @Column(name = "file_id", length = 64, nullable = false)
  public String fileId;
  @Column(name = "size_bytes")
  public long size;
  @Column(name = "etag", length = 64)
  public String etag;
  @Column(name = "last_modified_ms")
  public long lastModified;
}
