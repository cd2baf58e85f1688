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
   * Why the user holding {@code accessKey} may not use the cloud now, as the end of a sentence
   * ("is disabled"); empty when no user holds the key (unknown or deleted) or its user is enabled.
   */
  default Optional<String> whyKeyRefused(String accessKey) {
    return Optional.empty();
  }

  /**
   * The enabled user holding {@code accessKey}, as a request's signer. A key nobody holds (never
   * issued, or its user deleted) is S3's 403 InvalidAccessKeyId; the key of a user who exists but
   * may not use the cloud (disabled by the administrator, a sign-up not yet confirmed) is 403
   * AccessDenied saying why, as the EC2 API answers AuthFailure for it.
   */
  default WalrusUser signer(String accessKey) throws S3Exception {
    Optional<WalrusUser> user = byAccessKey(accessKey);
    if (user.isPresent()) {
      return user.get();
    }
    Optional<String> why = accessKey == null ? Optional.empty() : whyKeyRefused(accessKey);
    throw why.isPresent() ? S3AuthErrors.accountNotActive(why.get()) : S3AuthErrors.invalidAccessKeyId();
  }
}
