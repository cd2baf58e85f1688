package com.eucalyptus.clc.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A registered image (emi-, eki-, eri-): where its manifest is in Walrus, who owns it, and what
 * the administrator allows. The image registry (issue 4) fills and extends it; the console lists
 * it and enables or disables images.
 */
@Entity
@Table(name = "euca_images")
public class ImageEntity {
  @Id
  @Column(name = "image_id", length = 32)
  public String imageId;
  @Column(name = "manifest_location", length = 512)
  public String manifestLocation;
  @Column(name = "owner", length = 64)
  public String owner;
  /** machine, kernel or ramdisk */
  @Column(name = "kind", length = 16)
  public String kind;
  /** available or deregistered */
  @Column(name = "state", length = 16)
  public String state;
  @Column(name = "is_enabled")
  public boolean enabled;
  @Column(name = "is_public")
  public boolean isPublic;
  /** i386 or x86_64, from the manifest */
  @Column(name = "architecture", length = 16)
  public String architecture;
  /** the machine image's eki- (manifest or ModifyImageAttribute), or null */
  @Column(name = "kernel_id", length = 32)
  public String kernelId;
  @Column(name = "ramdisk_id", length = 32)
  public String ramdiskId;
  /** space-separated */
  @Column(name = "product_codes", length = 1024)
  public String productCodes;
  /** users besides the owner who may run it, space-separated (group "all" is {@link #isPublic}) */
  @Column(name = "launch_users", length = 8192)
  public String launchUsers;
  @Column(name = "registered_millis")
  public Long registeredMillis;
}
