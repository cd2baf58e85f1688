package com.eucalyptus.nc.hypervisor;

/** The hypervisor refused or could not be reached; the message says which call and why. */
public class HypervisorException extends Exception {
  public HypervisorException(String message, Throwable cause) {
    super(message, cause);
  }

  public HypervisorException(String message) {
    super(message);
  }
}
