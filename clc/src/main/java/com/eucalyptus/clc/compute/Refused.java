package com.eucalyptus.clc.compute;

/**
 * A compute action (volumes, addresses) refused; code is the EC2 error code the client sees,
 * status its HTTP status. The api layer turns it into an Ec2Exception.
 */
public final class Refused extends RuntimeException {
  private final String code;
  private final int status;

  public Refused(String code, String message) {
    this(400, code, message);
  }

  public Refused(int status, String code, String message) {
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
