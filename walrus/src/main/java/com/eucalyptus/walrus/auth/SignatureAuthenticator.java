package com.eucalyptus.walrus.auth;

import com.eucalyptus.runtime.auth.Hmacs;
import com.eucalyptus.runtime.auth.SigV4Scope;
import com.eucalyptus.walrus.S3Exception;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Walrus's {@link S3Authenticator}: signature v2 and v4, in the Authorization header or presigned
 * in the query, and anonymous requests; browser POST policies. Users are looked up on every
 * request, so a disabled user (whom {@link WalrusUsers} no longer returns) is refused at once.
 */
public final class SignatureAuthenticator implements S3Authenticator {
  /** How far a signed request's time may be from ours (S3's limit). */
  static final Duration MAX_SKEW = Duration.ofMinutes(15);
  private static final Logger LOG = LogManager.getLogger(SignatureAuthenticator.class);

  private final WalrusUsers users;
  private final Clock clock;
  private final String region;
  private final SignatureV2 v2;
  private final SignatureV4 v4;

  /**
   * @param region the region this cloud calls itself (e.g. "eucalyptus"). Signature v4 credentials
   *     scoped to it or to any other region (clients often say us-east-1) are accepted, as long as
   *     the signature verifies with the region the client used.
   */
  public SignatureAuthenticator(WalrusUsers users, Clock clock, String region) {
    this.users = users;
    this.clock = clock;
    this.region = region;
    this.v2 = new SignatureV2(users, clock);
    this.v4 = new SignatureV4(users, clock);
  }

  @Override
  public AuthResult authenticate(HttpServletRequest request, S3RequestTarget target) throws S3Exception {
    SignedRequest r = new SignedRequest(request);
    String authorization = r.header("Authorization");
    boolean v4Query = r.hasParam("X-Amz-Algorithm") || r.hasParam("X-Amz-Signature");
    boolean v2Query = r.hasParam("AWSAccessKeyId") || (r.hasParam("Signature") && r.hasParam("Expires"));
    int mechanisms = (authorization != null ? 1 : 0) + (v4Query ? 1 : 0) + (v2Query ? 1 : 0);
    if (mechanisms > 1) {
      throw S3AuthErrors.invalidArgument("Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, "
          + "Signature query string parameter or the Authorization header should be specified");
    }
    try {
      if (authorization != null) {
        String a = authorization.trim();
        if (a.startsWith(SigV4Scope.ALGORITHM + " ")) {
          SignatureV4.Verified verified = v4.verifyHeader(r, a);
          return PayloadDecoder.decode(r, Optional.of(verified.user()), verified.chunkSigner());
        }
        if (a.startsWith("AWS ")) {
          return PayloadDecoder.decode(r, Optional.of(v2.verifyHeader(r, target, a)), null);
        }
        if (a.startsWith("AWS4-ECDSA-P256-SHA256")) {
          throw S3AuthErrors.notImplemented("Signature version 4A (AWS4-ECDSA-P256-SHA256) is not supported");
        }
        throw S3AuthErrors.invalidArgument("Unsupported Authorization Type");
      }
      if (v4Query) {
        return PayloadDecoder.decode(r, Optional.of(v4.verifyPresigned(r).user()), null);
      }
      if (v2Query) {
        return PayloadDecoder.decode(r, Optional.of(v2.verifyPresigned(r, target)), null);
      }
      return PayloadDecoder.decode(r, Optional.empty(), null);
    } catch (S3Exception e) {
      // the key id and the reason only: never a secret, nor a full signature
      LOG.debug("refused {} {}: {} {}", r.method(), r.rawPath(), e.code(), e.getMessage());
      throw e;
    }
  }

  /**
   * v4: x-amz-signature = hex HMAC-SHA256 of the base64 policy under the signing key of
   * x-amz-credential's scope; v2: signature = base64 HMAC-SHA1 of it under the secret key. Then
   * the policy's expiration. The policy's conditions are the caller's to check ({@link PostPolicy}).
   */
  @Override
  public Optional<WalrusUser> verifyPostPolicy(Map<String, String> fields) throws S3Exception {
    String policy = fields.get("policy");
    if (policy == null || policy.isEmpty()) {
      if (fields.containsKey("awsaccesskeyid") || fields.containsKey("x-amz-credential")) {
        throw S3AuthErrors.invalidArgument("Bucket POST must contain a field named 'policy'.  If it is specified, "
            + "please check the order of the fields.");
      }
      return Optional.empty();
    }
    WalrusUser user;
    if (fields.containsKey("x-amz-signature") || fields.containsKey("x-amz-algorithm")) {
      user = postV4(fields, policy);
    } else {
      String accessKey = fields.get("awsaccesskeyid");
      String signature = fields.get("signature");
      if (accessKey == null || signature == null) {
        throw S3AuthErrors.invalidArgument("Bucket POST must contain a field named '" + (accessKey == null
            ? "AWSAccessKeyId" : "Signature") + "'.  If it is specified, please check the order of the fields.");
      }
      WalrusUsers.KeyHolder holder = users.keyHolder(accessKey);
      if (!Hmacs.sameSignature(signature, SignatureV2.sign(holder.user().secretKey(), policy))) {
        throw new SignatureMismatchException(policy, null, signature);
      }
      user = holder.signer();
    }
    PostPolicy.parse(policy).checkNotExpired(clock.instant());
    return Optional.of(user);
  }

  private WalrusUser postV4(Map<String, String> fields, String policy) throws S3Exception {
    String algorithm = fields.get("x-amz-algorithm");
    String signature = fields.get("x-amz-signature");
    String credential = fields.get("x-amz-credential");
    for (String[] f : new String[][] {{"X-Amz-Algorithm", algorithm}, {"X-Amz-Credential", credential},
        {"X-Amz-Date", fields.get("x-amz-date")}, {"X-Amz-Signature", signature}}) {
      if (f[1] == null) {
        throw S3AuthErrors.invalidArgument("Bucket POST must contain a field named '" + f[0]
            + "'.  If it is specified, please check the order of the fields.");
      }
    }
    if (!algorithm.equals(SigV4Scope.ALGORITHM)) {
      throw S3AuthErrors.invalidArgument("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
    }
    SigV4Scope.Credential c;
    try {
      c = SigV4Scope.parseCredential(credential);
    } catch (IllegalArgumentException e) {
      throw S3AuthErrors.invalidArgument("Invalid X-Amz-Credential: " + e.getMessage());
    }
    if (!c.scope().service().equals("s3")) {
      throw S3AuthErrors.invalidArgument("Invalid X-Amz-Credential: the service must be s3");
    }
    WalrusUsers.KeyHolder holder = users.keyHolder(c.accessKey());
    if (!Hmacs.sameSignature(signature.toLowerCase(java.util.Locale.ROOT),
        SigV4Scope.sign(c.scope().signingKey(holder.user().secretKey()), policy))) {
      throw new SignatureMismatchException(policy, null, signature);
    }
    return holder.signer();
  }

  /** The region this cloud calls itself. */
  public String region() {
    return region;
  }
}
