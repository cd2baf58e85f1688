package com.eucalyptus.walrus.auth;

import java.util.Optional;

/**
 * The CLC's accounts, as Walrus needs them. Implemented by the CLC over its database and asked on
 * every request, so that a disabled or deleted user's keys stop working at once. Every method
 * returns only enabled users.
 */
public interface WalrusUsers {
  Optional<WalrusUser> byAccessKey(String accessKey);

  Optional<WalrusUser> byName(String name);

  Optional<WalrusUser> byCanonicalId(String canonicalId);

  Optional<WalrusUser> byEmail(String email);
}
