package com.eucalyptus.clc.accounts;

/** A user as the console shows it: identity, sign-up information, status and query keys. */
public record Account(String name, String email, boolean admin, Status status, String realName, String telephone,
    String projectLeader, String affiliation, String projectDescription, String accessKey, String secretKey) {
  /** Where a user is in the sign-up lifecycle. */
  public enum Status {
    /** applied, not yet approved by the administrator */
    PENDING,
    /** approved (or added by the administrator), not yet confirmed through the mailed link */
    UNCONFIRMED,
    ACTIVE,
    DISABLED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
