package com.eucalyptus.walrus.auth;

import com.eucalyptus.walrus.S3Exception;
import java.util.Optional;

/**
 * The CLC's accounts, as Walrus needs them. Implemented by the CLC over its database and asked on
 * every request, so that a disabled or deleted user's keys stop working at once. Every lookup
 * returns only enabled users.
 */
public interface WalrusUsers {
  Optional<WalrusUser> byAccessKey(String accessKey);

  Optional<WalrusUser> byName(String name);

  Optional<WalrusUser> byCanonicalId(String canonicalId);

  Optional<WalrusUser> byEmail(String email);

  /**
   * The user holding {@code accessKey} in whatever state, and why they may not use the cloud now
   * (the end of a sentence, "is disabled"; null when they may); empty when nobody holds the key
   * (never issued, or its user deleted).
   */
  Optional<KeyHolder> holderOf(String accessKey);

  /**
   * Whoever holds {@code accessKey}: the request's claimed signer, whose secret key checks the
   * signature. A key nobody holds is S3's 403 InvalidAccessKeyId.
   */
  default KeyHolder keyHolder(String accessKey) throws S3Exception {
    return (accessKey == null ? Optional.<KeyHolder>empty() : holderOf(accessKey))
        .orElseThrow(S3AuthErrors::invalidAccessKeyId);
  }

  /** A key's holder; see {@link WalrusUsers#holderOf}. */
  record KeyHolder(WalrusUser user, String refusal) {
    /**
     * The signer, once the signature matched. A user who may not use the cloud (disabled by the
     * administrator, a sign-up not yet confirmed) is 403 AccessDenied saying why, as the EC2 API
     * answers AuthFailure; asked only after the signature check, so that only the holder of the
     * secret key learns the account's state.
     */
    public WalrusUser signer() throws S3Exception {
      if (refusal != null) {
        throw S3AuthErrors.accountNotActive(refusal);
      }
      return user;
    }
  }
}
