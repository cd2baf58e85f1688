package com.eucalyptus.runtime.config;

/**
 * A key of eucalyptus.conf that is missing or malformed where the daemon needs it. The message
 * names the key and the value (e.g. {@code eucalyptus.conf: VNET_SUBNET="10.0.0.300" is not an
 * IPv4 address}); the daemon logs it, prints it on stderr and exits non-zero rather than run in a
 * way the administrator did not ask for.
 */
public class BadConfigurationException extends RuntimeException {
  public BadConfigurationException(String message) {
    super(message);
  }

  /** {@code eucalyptus.conf: KEY="value" <problem>}. */
  public static BadConfigurationException of(String key, String value, String problem) {
    return new BadConfigurationException("eucalyptus.conf: " + key + "=\"" + (value == null ? "" : value) + "\" "
        + problem);
  }

  /** {@code eucalyptus.conf: KEY is not set <why it is needed>}. */
  public static BadConfigurationException missing(String key, String neededFor) {
    return new BadConfigurationException("eucalyptus.conf: " + key + " is not set; " + neededFor);
  }
}
