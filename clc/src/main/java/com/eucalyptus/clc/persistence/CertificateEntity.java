package com.eucalyptus.clc.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.Table;

/** An X.509 certificate the cloud CA issued to a user; every one is kept, revocable. */
@Entity
@Table(name = "euca_certificates")
public class CertificateEntity {
  /** Serial number, in hex. */
  @Id
  @Column(name = "serial", length = 64)
  public String serial;
  @Column(name = "user_name", length = 64)
  public String userName;
  @Lob
  @Column(name = "pem", length = 16384)
  public String pem;
  @Column(name = "revoked")
  public boolean revoked;
  @Column(name = "issued_millis")
  public long issuedMillis;
}
