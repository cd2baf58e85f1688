package com.eucalyptus.walrus.auth;

import com.eucalyptus.runtime.auth.Hmacs;
import com.eucalyptus.runtime.auth.Rfc3986;
import com.eucalyptus.walrus.S3Exception;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * S3 signature version 2: {@code Authorization: AWS AccessKey:Signature} or the presigned query
 * (AWSAccessKeyId, Expires, Signature); base64 HMAC-SHA1 over
 * {@code Method\nContent-MD5\nContent-Type\nDate\n[x-amz-* headers]Resource}.
 */
final class SignatureV2 {
  /** The sub-resources every S3 client puts in the canonical resource (S3's documented list). */
  static final Set<String> SUB_RESOURCES = Set.of("acl", "delete", "lifecycle", "location", "logging", "notification",
      "partNumber", "policy", "requestPayment", "torrent", "uploadId", "uploads", "versionId", "versioning", "versions",
      "website", "cors", "tagging", "restore", "response-content-type", "response-content-language", "response-expires",
      "response-cache-control", "response-content-disposition", "response-content-encoding");
  /** Sub-resources that newer clients (botocore) also sign and older ones (boto 2) do not. */
  static final Set<String> NEWER_SUB_RESOURCES = Set.of("accelerate", "defaultObjectAcl", "storageClass", "replication",
      "analytics", "metrics", "inventory", "select", "select-type", "object-lock");

  private final WalrusUsers users;
  private final Clock clock;

  SignatureV2(WalrusUsers users, Clock clock) {
    this.users = users;
    this.clock = clock;
  }

  /** {@code Authorization: AWS AccessKey:Signature}. */
  WalrusUser verifyHeader(SignedRequest r, S3RequestTarget target, String authorization) throws S3Exception {
    String credentials = authorization.substring("AWS ".length()).trim();
    int colon = credentials.lastIndexOf(':');
    if (colon <= 0 || colon == credentials.length() - 1) {
      throw S3AuthErrors.invalidArgument("AWS authorization header is invalid.  Expected AwsAccessKeyId:signature");
    }
    String accessKey = credentials.substring(0, colon);
    String signature = credentials.substring(colon + 1);
    String amzDate = r.header("x-amz-date");
    String date = r.header("Date");
    Instant when = parseHttpDate(amzDate != null ? amzDate : date);
    if (when == null) {
      throw S3AuthErrors.accessDenied("AWS authentication requires a valid Date or x-amz-date header");
    }
    if (Duration.between(when, clock.instant()).abs().compareTo(SignatureAuthenticator.MAX_SKEW) > 0) {
      throw S3AuthErrors.requestTimeTooSkewed();
    }
    WalrusUsers.KeyHolder holder = users.keyHolder(accessKey);
    // with x-amz-date the Date line is empty (x-amz-date is signed among the x-amz-* headers);
    // a client that sends both may still have signed its Date line
    List<String> dateLines = amzDate == null ? List.of(date) : date == null ? List.of("") : List.of("", date);
    check(r, target, holder.user(), dateLines, signature);
    return holder.signer();
  }

  /** The presigned query form: AWSAccessKeyId, Expires (seconds since the epoch), Signature. */
  WalrusUser verifyPresigned(SignedRequest r, S3RequestTarget target) throws S3Exception {
    String accessKey = r.param("AWSAccessKeyId");
    String signature = r.param("Signature");
    String expires = r.param("Expires");
    if (accessKey == null || signature == null || expires == null) {
      throw S3AuthErrors.accessDenied(
          "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters");
    }
    long expiresAt;
    try {
      expiresAt = Long.parseLong(expires.trim());
    } catch (NumberFormatException e) {
      throw S3AuthErrors.accessDenied("Invalid date (should be seconds since epoch): " + expires);
    }
    if (clock.instant().getEpochSecond() > expiresAt) {
      throw S3AuthErrors.expired();
    }
    WalrusUsers.KeyHolder holder = users.keyHolder(accessKey);
    check(r, target, holder.user(), List.of(expires), signature);
    return holder.signer();
  }

  /**
   * Accepts the signature if it matches one of the resources the client may have signed (see
   * {@link #canonicalResources}); otherwise SignatureDoesNotMatch with the first string to sign.
   */
  private static void check(SignedRequest r, S3RequestTarget target, WalrusUser user, List<String> dateLines,
      String signature) throws S3Exception {
    List<String> candidates = new ArrayList<>();
    for (String dateLine : dateLines) {
      for (String resource : canonicalResources(r, target)) {
        String toSign = stringToSign(r, dateLine, resource);
        if (Hmacs.sameSignature(signature, sign(user.secretKey(), toSign))) {
          return;
        }
        candidates.add(toSign);
      }
    }
    throw new SignatureMismatchException(candidates.get(0), null, signature);
  }

  static String sign(String secretKey, String stringToSign) {
    return Base64.getEncoder().encodeToString(
        Hmacs.hmac("HmacSHA1", secretKey.getBytes(StandardCharsets.UTF_8), stringToSign));
  }

  static String stringToSign(SignedRequest r, String dateLine, String resource) {
    StringBuilder sb = new StringBuilder();
    sb.append(r.method()).append('\n');
    sb.append(orEmpty(r.header("Content-MD5")).trim()).append('\n');
    sb.append(orEmpty(r.header("Content-Type")).trim()).append('\n');
    sb.append(dateLine == null ? "" : dateLine.trim()).append('\n');
    TreeMap<String, List<String>> amz = new TreeMap<>();
    for (String name : r.headerNames()) {
      if (name.startsWith("x-amz-")) {
        amz.put(name, r.headers(name).stream().map(String::trim).toList());
      }
    }
    amz.forEach((name, values) -> sb.append(name).append(':').append(String.join(",", values)).append('\n'));
    sb.append(resource);
    return sb.toString();
  }

  /**
   * The canonical resources a client may have signed for this request, most likely first. Path
   * style under the service prefix: with the prefix (boto 2 with path='/services/Walrus') and
   * without it (clients that sign only /bucket/key). Virtual-hosted: /bucket + path. Each with
   * the sub-resources every client signs, and, if the request carries some that only newer clients
   * sign, also with those. A bucket also as {@code /bucket/} (botocore's form).
   */
  static List<String> canonicalResources(SignedRequest r, S3RequestTarget target) {
    String raw = r.rawPath();
    String prefix = target.servicePrefix() == null ? "" : target.servicePrefix();
    Set<String> paths = new LinkedHashSet<>();
    String unprefixed = !prefix.isEmpty() && raw.startsWith(prefix) ? raw.substring(prefix.length()) : raw;
    if (unprefixed.isEmpty()) {
      unprefixed = "/";
    }
    if (target.virtualHosted() && target.bucket() != null) {
      paths.add("/" + target.bucket() + unprefixed);
    }
    paths.add(raw);
    paths.add(unprefixed);
    if (target.bucket() != null && target.key() == null) {
      paths.add("/" + target.bucket() + "/"); // botocore signs a bucket as /bucket/ whatever it sends
    }
    Set<String> queries = new LinkedHashSet<>();
    queries.add(subResources(r, true));
    queries.add(subResources(r, false));
    List<String> out = new ArrayList<>();
    for (String p : paths) {
      for (String q : queries) {
        out.add(p + q);
      }
    }
    // botocore's HmacV1Auth (1.29) appends the sub-resources to an auth path that already has them:
    // it signs /bucket/key?acl?acl. Its requests are accepted as it signs them.
    if (target.bucket() != null) {
      List<String> authPaths = target.key() != null
          ? List.of("/" + target.bucket() + "/" + Rfc3986.encode(target.key(), true))
          : List.of("/" + target.bucket(), "/" + target.bucket() + "/");
      for (String q : queries) {
        for (String authPath : q.isEmpty() ? List.<String>of() : authPaths) {
          out.add(authPath + q + q);
        }
      }
    }
    return out;
  }

  private static String subResources(SignedRequest r, boolean withNewer) {
    List<SignedRequest.Param> kept = new ArrayList<>();
    for (SignedRequest.Param p : r.params()) {
      if (SUB_RESOURCES.contains(p.name()) || (withNewer && NEWER_SUB_RESOURCES.contains(p.name()))) {
        kept.add(p);
      }
    }
    if (kept.isEmpty()) {
      return "";
    }
    kept.sort(Comparator.comparing(SignedRequest.Param::name));
    StringBuilder sb = new StringBuilder("?");
    for (SignedRequest.Param p : kept) {
      if (sb.length() > 1) {
        sb.append('&');
      }
      sb.append(p.name());
      if (p.value() != null) {
        sb.append('=').append(p.value());
      }
    }
    return sb.toString();
  }

  /** An HTTP date (RFC 1123, as clients send Date), or the ISO basic form some send as x-amz-date. */
  static Instant parseHttpDate(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    try {
      return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return SignatureV4.parseAmzDate(v);
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
