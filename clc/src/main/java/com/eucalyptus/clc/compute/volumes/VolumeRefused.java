package com.eucalyptus.clc.compute.volumes;

/** A volume action refused; code is the EC2 error code the client sees, status its HTTP status. */
public final class VolumeRefused extends RuntimeException {
  private final String code;
  private final int status;

  public VolumeRefused(String code, String message) {
    this(400, code, message);
  }

  public VolumeRefused(int status, String code, String message) {
    super(message);
    this.code = code;
    this.status = status;
  }

  public String code() {
    return code;
  }

  public int status() {
    return status;
  }
}
