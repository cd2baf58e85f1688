package com.eucalyptus.clc.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A cloud user: identity, query keys and console password (hashed). */
@Entity
@Table(name = "euca_users")
public class UserEntity {
  @Id
  @Column(name = "user_name", length = 64)
  public String name;
  @Column(name = "email", length = 256)
  public String email;
  @Column(name = "is_admin")
  public boolean admin;
  @Column(name = "is_enabled")
  public boolean enabled;
  @Column(name = "is_confirmed")
  public boolean confirmed;
  @Column(name = "access_key", length = 64, unique = true)
  public String accessKey;
  @Column(name = "secret_key", length = 128)
  public String secretKey;
  /** PBKDF2 hash with its salt and iteration count (see accounts.PasswordHash). */
  @Column(name = "password_hash", length = 256)
  public String passwordHash;
}
