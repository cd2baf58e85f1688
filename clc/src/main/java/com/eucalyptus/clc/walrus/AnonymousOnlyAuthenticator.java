package com.eucalyptus.clc.walrus;

import com.eucalyptus.walrus.S3Exception;
import com.eucalyptus.walrus.auth.AuthResult;
import com.eucalyptus.walrus.auth.S3Authenticator;
import com.eucalyptus.walrus.auth.S3RequestTarget;
import com.eucalyptus.walrus.auth.WalrusUser;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Stand-in until the signature checks (branch wt-walrus-auth) are merged: every request is
 * anonymous, and a signed one is refused rather than trusted.
 */
final class AnonymousOnlyAuthenticator implements S3Authenticator {
  @Override
  public AuthResult authenticate(HttpServletRequest request, S3RequestTarget target) throws S3Exception {
    String q = request.getQueryString();
    if (request.getHeader("Authorization") != null || (q != null && (q.contains("Signature") || q.contains("X-Amz-")))) {
      throw new S3Exception(501, "NotImplemented", "signed requests are not checked yet");
    }
    try {
      return new AuthResult(Optional.empty(), request.getInputStream(), request.getContentLengthLong());
    } catch (IOException e) {
      throw new S3Exception(400, "IncompleteBody", e.getMessage());
    }
  }

  @Override
  public Optional<WalrusUser> verifyPostPolicy(Map<String, String> fields) {
    return Optional.empty();
  }
}
