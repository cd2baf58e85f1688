package com.eucalyptus.clc.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A code mailed in a link (approve, reject, confirm, recover). Only its SHA-256 is kept, so
 * reading the database does not give working links; it is deleted when used or expired.
 */
@Entity
@Table(name = "euca_one_time_codes")
public class OneTimeCodeEntity {
  @Id
  @Column(name = "code_sha256", length = 64)
  public String codeHash;
  @Column(name = "purpose", length = 16)
  public String purpose;
  @Column(name = "user_name", length = 64)
  public String userName;
  @Column(name = "expires_millis")
  public long expiresMillis;
}
