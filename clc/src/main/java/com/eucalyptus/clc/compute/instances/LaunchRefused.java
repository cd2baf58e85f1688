package com.eucalyptus.clc.compute.instances;

/** RunInstances could not start the instances; code is the EC2 error code the client sees. */
public final class LaunchRefused extends RuntimeException {
  private final String code;

  public LaunchRefused(String code, String message) {
    super(message);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
