package com.eucalyptus.clc.api;

/** An error the client sees in EC2's XML form: its code, HTTP status and message. */
public class Ec2Exception extends RuntimeException {
  private final String code;
  private final int status;

  public Ec2Exception(int status, String code, String message) {
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

  public static Ec2Exception authFailure(String message) {
    return new Ec2Exception(401, "AuthFailure", message);
  }

  public static Ec2Exception signatureDoesNotMatch() {
    return new Ec2Exception(403, "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided.");
  }

  public static Ec2Exception missingParameter(String name) {
    return new Ec2Exception(400, "MissingParameter", "The request must contain the parameter " + name);
  }

  public static Ec2Exception invalidParameter(String message) {
    return new Ec2Exception(400, "InvalidParameterValue", message);
  }

  public static Ec2Exception unauthorized(String action) {
    return new Ec2Exception(403, "UnauthorizedOperation", "You are not authorized to perform " + action
        + ": it is an administrator's action.");
  }
}
