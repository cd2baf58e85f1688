package com.eucalyptus.walrus.metadata;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** The HTTP headers S3 keeps with an object and returns on GET/HEAD, and its x-amz-meta-*. */
@Embeddable
public class StoredHeaders {
  @Column(name = "content_type", length = 1024)
  public String contentType;
  @Column(name = "content_disposition", length = 1024)
  public String contentDisposition;
  @Column(name = "content_encoding", length = 1024)
  public String contentEncoding;
  @Column(name = "content_language", length = 1024)
  public String contentLanguage;
  @Column(name = "cache_control", length = 1024)
  public String cacheControl;
  @Column(name = "expires_header", length = 1024)
  public String expires;
  /** x-amz-meta-* (names lower-cased, without the prefix), encoded by UserMetadata. */
  @Column(name = "user_metadata", length = 8192)
  public String userMetadata;

  public StoredHeaders copy() {
    StoredHeaders c = new StoredHeaders();
    c.contentType = contentType;
    c.contentDisposition = contentDisposition;
    c.contentEncoding = contentEncoding;
    c.contentLanguage = contentLanguage;
    c.cacheControl = cacheControl;
    c.expires = expires;
    c.userMetadata = userMetadata;
    return c;
  }
}
