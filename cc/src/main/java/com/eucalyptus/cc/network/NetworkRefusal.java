package com.eucalyptus.cc.network;

/**
 * A network operation the CC cannot carry out, with the EC2 error code the CLC should show the
 * user ({@code code}, e.g. "AddressLimitExceeded") or null when it is the CC's own trouble (a
 * command that failed). ClusterService answers it as {@code return=false} with statusMessage
 * "{@code <code>: <message>}".
 */
public class NetworkRefusal extends Exception {
  private final String code;

  public NetworkRefusal(String code, String message) {
    super(message);
    this.code = code;
  }

  public NetworkRefusal(String message, Throwable cause) {
    super(message, cause);
    this.code = null;
  }

  public String code() {
    return code;
  }

  /** The statusMessage the CLC reads: "Code: message", or the message alone. */
  public String statusMessage() {
    return code == null ? getMessage() : code + ": " + getMessage();
  }
}
