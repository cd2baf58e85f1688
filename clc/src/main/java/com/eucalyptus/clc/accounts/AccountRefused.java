package com.eucalyptus.clc.accounts;

/** An account action refused for a reason the person in front of the console should read. */
public final class AccountRefused extends RuntimeException {
  public AccountRefused(String message) {
    super(message);
  }
}
