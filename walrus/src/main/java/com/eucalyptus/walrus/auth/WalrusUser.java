package com.eucalyptus.walrus.auth;

/**
 * A cloud user as Walrus sees one: an enabled account of the CLC. {@code canonicalId} is the S3
 * canonical user id (64 hex characters) shown as Owner/ID and used in ACL grants.
 */
public record WalrusUser(String name, String canonicalId, String email, boolean admin, String accessKey,
    String secretKey) {
  @Override
  public String toString() {
    return "WalrusUser[" + name + "]"; // never the secret key
  }
}
