package com.eucalyptus.clc.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

/** A user's key pair: only the public half is kept (the private key is handed out once). */
@Entity
@Table(name = "euca_keypairs", uniqueConstraints = @UniqueConstraint(columnNames = {"owner", "key_name"}))
public class KeyPairEntity {
  @Id
  @GeneratedValue
  public Long id;
  @Column(name = "owner", length = 64, nullable = false)
  public String owner;
  @Column(name = "key_name", length = 255, nullable = false)
  public String name;
  @Column(name = "fingerprint", length = 128)
  public String fingerprint;
  /** One line in OpenSSH authorized_keys format, as the NC puts it into the instance. */
  @Column(name = "public_key", length = 8192)
  public String publicKey;
}
