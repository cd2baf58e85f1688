package com.eucalyptus.walrus.auth;

import com.eucalyptus.runtime.auth.Hmacs;
import com.eucalyptus.runtime.auth.Rfc3986;
import com.eucalyptus.runtime.auth.SigV4Scope;
import com.eucalyptus.walrus.S3Exception;
import com.eucalyptus.walrus.auth.payload.ChunkSigner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * S3 signature version 4: the {@code AWS4-HMAC-SHA256} Authorization header and the presigned
 * X-Amz-* query. Unlike other services, S3's canonical URI is the path encoded once (not twice)
 * and not normalized. The region of the credential scope is taken as the client gives it (many
 * clients say us-east-1 whatever the endpoint); the signature must verify with that region.
 */
final class SignatureV4 {
  static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
  static final long MAX_PRESIGNED_EXPIRES = 604800;
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  /** A verified v4 request: who signed it, and what signs its chunks if its body is aws-chunked. */
  record Verified(WalrusUser user, ChunkSigner chunkSigner) {}

  private final WalrusUsers users;
  private final Clock clock;

  SignatureV4(WalrusUsers users, Clock clock) {
    this.users = users;
    this.clock = clock;
  }

  Verified verifyHeader(SignedRequest r, String authorization) throws S3Exception {
    Map<String, String> parts = parseAuthorization(authorization);
    SigV4Scope.Credential credential = credential(parts.get("Credential"), false);
    String signedHeaders = parts.get("SignedHeaders");
    String signature = parts.get("Signature");
    if (signedHeaders == null || signature == null) {
      throw S3AuthErrors.headerMalformed("it needs Credential, SignedHeaders and Signature");
    }
    String amzDate = r.header("x-amz-date");
    if (amzDate == null) {
      Instant date = SignatureV2.parseHttpDate(r.header("Date"));
      if (date == null) {
        throw S3AuthErrors.accessDenied("AWS authentication requires a valid Date or x-amz-date header");
      }
      amzDate = AMZ_DATE.format(date);
    }
    Instant when = amzDate(amzDate, false);
    if (Duration.between(when, clock.instant()).abs().compareTo(SignatureAuthenticator.MAX_SKEW) > 0) {
      throw S3AuthErrors.requestTimeTooSkewed();
    }
    if (!amzDate.startsWith(credential.scope().date())) {
      throw S3AuthErrors.headerMalformed("Invalid credential date \"" + credential.scope().date()
          + "\". This date is not the same as X-Amz-Date: \"" + amzDate.substring(0, 8) + "\".");
    }
    String payloadHash = r.header("x-amz-content-sha256");
    if (payloadHash == null) {
      throw S3AuthErrors.invalidRequest("Missing required header for this request: x-amz-content-sha256");
    }
    WalrusUsers.KeyHolder holder = users.keyHolder(credential.accessKey());
    byte[] signingKey = credential.scope().signingKey(holder.user().secretKey());
    check(r, credential.scope(), signingKey, amzDate, headerList(signedHeaders), payloadHash, false, signature);
    return new Verified(holder.signer(), new ChunkSigner(signingKey, amzDate, credential.scope().value(), signature));
  }

  Verified verifyPresigned(SignedRequest r) throws S3Exception {
    String algorithm = r.param("X-Amz-Algorithm");
    String amzDate = r.param("X-Amz-Date");
    String expires = r.param("X-Amz-Expires");
    String signedHeaders = r.param("X-Amz-SignedHeaders");
    String signature = r.param("X-Amz-Signature");
    if (algorithm == null || amzDate == null || expires == null || signedHeaders == null || signature == null
        || r.param("X-Amz-Credential") == null) {
      throw S3AuthErrors.queryParametersError("Query-string authentication version 4 requires the X-Amz-Algorithm, "
          + "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
    }
    if (!algorithm.equals(SigV4Scope.ALGORITHM)) {
      throw S3AuthErrors.queryParametersError(
          "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\" and \"AWS4-ECDSA-P256-SHA256\"");
    }
    SigV4Scope.Credential credential = credential(r.param("X-Amz-Credential"), true);
    Instant when = amzDate(amzDate, true);
    long seconds;
    try {
      seconds = Long.parseLong(expires);
    } catch (NumberFormatException e) {
      throw S3AuthErrors.queryParametersError("X-Amz-Expires should be a number");
    }
    if (seconds < 0) {
      throw S3AuthErrors.queryParametersError("X-Amz-Expires must be non-negative");
    }
    if (seconds > MAX_PRESIGNED_EXPIRES) {
      throw S3AuthErrors.queryParametersError("X-Amz-Expires must be less than a week (in seconds) that is 604800");
    }
    Instant now = clock.instant();
    if (when.isAfter(now.plus(SignatureAuthenticator.MAX_SKEW))) {
      throw S3AuthErrors.accessDenied("Request is not valid yet");
    }
    if (now.isAfter(when.plusSeconds(seconds))) {
      throw S3AuthErrors.expired();
    }
    if (!amzDate.startsWith(credential.scope().date())) {
      throw S3AuthErrors.queryParametersError("Invalid credential date \"" + credential.scope().date()
          + "\". This date is not the same as X-Amz-Date: \"" + amzDate.substring(0, 8) + "\".");
    }
    WalrusUsers.KeyHolder holder = users.keyHolder(credential.accessKey());
    byte[] signingKey = credential.scope().signingKey(holder.user().secretKey());
    String payloadHash = r.param("X-Amz-Content-Sha256");
    check(r, credential.scope(), signingKey, amzDate, headerList(signedHeaders),
        payloadHash == null ? UNSIGNED_PAYLOAD : payloadHash, true, signature);
    return new Verified(holder.signer(), null);
  }

  /**
   * Accepts the signature over the canonical URI computed from the decoded path (what AWS does),
   * or over the path exactly as sent (clients that sign what they send without re-encoding it).
   */
  private static void check(SignedRequest r, SigV4Scope scope, byte[] signingKey, String amzDate,
      List<String> signedHeaders, String payloadHash, boolean presigned, String signature) throws S3Exception {
    if (!signedHeaders.contains("host")) {
      throw presigned ? S3AuthErrors.queryParametersError("Query-string authentication requires the host header to be signed")
          : S3AuthErrors.headerMalformed("the host header must be signed");
    }
    String first = null;
    String firstCanonical = null;
    for (String uri : canonicalUris(r.rawPath())) {
      String canonical = canonicalRequest(r, uri, signedHeaders, payloadHash, presigned);
      String toSign = scope.stringToSign(amzDate, canonical);
      if (Hmacs.sameSignature(signature, SigV4Scope.sign(signingKey, toSign))) {
        return;
      }
      if (first == null) {
        first = toSign;
        firstCanonical = canonical;
      }
    }
    throw new SignatureMismatchException(first, firstCanonical, signature);
  }

  static List<String> canonicalUris(String rawPath) {
    Set<String> uris = new LinkedHashSet<>();
    uris.add(Rfc3986.encode(SignedRequest.decodePath(rawPath), true));
    uris.add(rawPath);
    return new ArrayList<>(uris);
  }

  static String canonicalRequest(SignedRequest r, String canonicalUri, List<String> signedHeaders, String payloadHash,
      boolean presigned) {
    TreeMap<String, List<String>> query = new TreeMap<>();
    for (SignedRequest.Param p : r.params()) {
      if (presigned && p.name().equals("X-Amz-Signature")) {
        continue;
      }
      query.computeIfAbsent(Rfc3986.encode(p.name(), false), k -> new ArrayList<>())
          .add(Rfc3986.encode(p.value() == null ? "" : p.value(), false));
    }
    StringBuilder q = new StringBuilder();
    query.forEach((name, values) -> values.stream().sorted().forEach(v -> {
      if (q.length() > 0) {
        q.append('&');
      }
      q.append(name).append('=').append(v);
    }));
    StringBuilder sb = new StringBuilder();
    sb.append(r.method()).append('\n').append(canonicalUri).append('\n').append(q).append('\n');
    for (String h : signedHeaders) {
      List<String> values = r.headers(h).stream().map(SignatureV4::trimAll).toList();
      sb.append(h).append(':').append(String.join(",", values)).append('\n');
    }
    sb.append('\n').append(String.join(";", signedHeaders)).append('\n').append(payloadHash);
    return sb.toString();
  }

  /** Trimall: no leading or trailing white space, runs of spaces as one. */
  static String trimAll(String v) {
    return v.trim().replaceAll("\\s+", " ");
  }

  static Instant parseAmzDate(String value) {
    return AMZ_DATE.parse(value, Instant::from);
  }

  private static Instant amzDate(String value, boolean presigned) throws S3Exception {
    try {
      return parseAmzDate(value);
    } catch (DateTimeParseException e) {
      if (presigned) {
        throw S3AuthErrors.queryParametersError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
      }
      throw S3AuthErrors.accessDenied("AWS authentication requires a valid Date or x-amz-date header");
    }
  }

  private static SigV4Scope.Credential credential(String value, boolean presigned) throws S3Exception {
    SigV4Scope.Credential c;
    try {
      c = SigV4Scope.parseCredential(value);
    } catch (IllegalArgumentException e) {
      String why = "the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".";
      throw presigned ? S3AuthErrors.queryParametersError("Error parsing the X-Amz-Credential parameter; " + why)
          : S3AuthErrors.headerMalformed(why);
    }
    if (!c.scope().service().equals("s3")) {
      String why = "incorrect service \"" + c.scope().service() + "\". This endpoint belongs to \"s3\".";
      throw presigned ? S3AuthErrors.queryParametersError("Error parsing the X-Amz-Credential parameter; " + why)
          : S3AuthErrors.headerMalformed(why);
    }
    return c;
  }

  /** {@code AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...} as a map. */
  static Map<String, String> parseAuthorization(String header) throws S3Exception {
    Map<String, String> parts = new TreeMap<>();
    for (String part : header.substring(SigV4Scope.ALGORITHM.length()).split(",")) {
      String p = part.trim();
      int eq = p.indexOf('=');
      if (eq <= 0) {
        if (!p.isEmpty()) {
          throw S3AuthErrors.headerMalformed("the authorization component \"" + p + "\" is malformed.");
        }
        continue;
      }
      parts.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
    }
    return parts;
  }

  private static List<String> headerList(String signedHeaders) {
    return Arrays.stream(signedHeaders.split(";")).map(h -> h.trim().toLowerCase(java.util.Locale.ROOT))
        .filter(h -> !h.isEmpty()).toList();
  }
}
