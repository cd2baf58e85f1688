package com.eucalyptus.clc.auth;

import com.eucalyptus.clc.accounts.Accounts;
import com.eucalyptus.clc.api.Ec2Exception;
import com.eucalyptus.clc.api.QueryRequest;
import com.eucalyptus.runtime.auth.Hmacs;
import com.eucalyptus.runtime.auth.Rfc3986;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Checks the signature of an EC2 Query request and says whose it is: signature version 1
 * (HmacSHA1), 2 (HmacSHA256 or HmacSHA1) and 4 (AWS4-HMAC-SHA256, header or presigned).
 * Every request is authenticated; a disabled or unconfirmed user is refused at once (the user row
 * is read per request, no cache), once the signature matched.
 */
public final class QueryAuthenticator {
  static final Duration MAX_AGE = Duration.ofMinutes(15);
  private static final DateTimeFormatter V4_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private final Accounts accounts;

  public QueryAuthenticator(Accounts accounts) {
    this.accounts = accounts;
  }

  public Accounts.User authenticate(QueryRequest r) {
    String auth = r.header("authorization");
    if (auth != null && auth.startsWith("AWS4-HMAC-SHA256")) {
      return v4(r, SigV4.parseHeader(auth), false);
    }
    if ("AWS4-HMAC-SHA256".equals(r.param("X-Amz-Algorithm"))) {
      return v4(r, SigV4.parsePresigned(r.params()), true);
    }
    String access = r.param("AWSAccessKeyId");
    String signature = r.param("Signature");
    if (access == null || signature == null) {
      throw Ec2Exception.authFailure("The request is not signed: AWSAccessKeyId and Signature (or an AWS4 Authorization) are required.");
    }
    checkTime(r);
    Accounts.User user = holder(access);
    String version = r.params().getOrDefault("SignatureVersion", "2");
    boolean ok = switch (version) {
      case "1" -> matches(signature, hmac("HmacSHA1", user.secretKey(), v1StringToSign(r.params())));
      case "2" -> v2Matches(r, user.secretKey(), signature);
      default -> throw new Ec2Exception(400, "InvalidParameterValue", "SignatureVersion " + version + " is not supported");
    };
    if (!ok) {
      throw Ec2Exception.signatureDoesNotMatch();
    }
    return active(user);
  }

  /** The user holding {@code accessKey}, in whatever state: see {@link #active}. */
  private Accounts.User holder(String accessKey) {
    return accounts.findByAccessKey(accessKey).orElseThrow(
        () -> Ec2Exception.authFailure("AWS was not able to validate the provided access credentials"));
  }

  /**
   * Refuses a disabled or unconfirmed user. Asked only once the signature matched, so that the
   * state of an account (and which one it is) is told only to whoever holds its secret key.
   */
  private Accounts.User active(Accounts.User user) {
    if (user.enabled()) {
      return user;
    }
    String why = accounts.refusal(user.accessKey()).map(r -> switch (r) {
      case DISABLED -> "is disabled";
      case NOT_CONFIRMED -> "is not active yet: it must be approved and confirmed";
    }).orElse("is not active");
    throw Ec2Exception.authFailure("The account of this access key " + why + ".");
  }

  /** v1: the sorted (case-insensitively) names and values, concatenated. */
  static String v1StringToSign(Map<String, String> params) {
    TreeMap<String, String> sorted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    params.forEach((k, v) -> {
      if (!k.equals("Signature")) {
        sorted.put(k, v);
      }
    });
    StringBuilder sb = new StringBuilder();
    sorted.forEach((k, v) -> sb.append(k).append(v));
    return sb.toString();
  }

  /**
   * v2, trying the host with and without its port and the path with and without /services, as
   * the original did for clients (typica) that sign another form of the URL than they send.
   */
  private static boolean v2Matches(QueryRequest r, String secret, String signature) {
    String method = r.params().getOrDefault("SignatureMethod", "HmacSHA256");
    if (!method.equals("HmacSHA256") && !method.equals("HmacSHA1")) {
      throw Ec2Exception.invalidParameter("SignatureMethod " + method + " is not supported");
    }
    String query = v2CanonicalQuery(r.params());
    String host = r.host() == null ? "" : r.host().toLowerCase();
    Set<String> hosts = new LinkedHashSet<>(List.of(host));
    String bare = host.replaceAll(":\\d+$", "");
    hosts.add(bare);
    hosts.add(bare + ":8773");
    Set<String> paths = new LinkedHashSet<>(List.of(r.path().isEmpty() ? "/" : r.path()));
    paths.add(r.path().startsWith("/services") ? r.path().substring("/services".length()) : "/services" + r.path());
    for (String h : hosts) {
      for (String p : paths) {
        String toSign = r.method() + "\n" + h + "\n" + p + "\n" + query;
        if (matches(signature, hmac(method, secret, toSign))) {
          return true;
        }
      }
    }
    return false;
  }

  static String v2CanonicalQuery(Map<String, String> params) {
    TreeMap<String, String> sorted = new TreeMap<>();
    params.forEach((k, v) -> {
      if (!k.equals("Signature")) {
        sorted.put(k, v);
      }
    });
    return sorted.entrySet().stream().map(e -> Rfc3986.encode(e.getKey(), false) + "=" + Rfc3986.encode(e.getValue(), false))
        .collect(Collectors.joining("&"));
  }

  private Accounts.User v4(QueryRequest r, SigV4.Credential c, boolean presigned) {
    if (!c.service().equals("ec2")) {
      throw Ec2Exception.authFailure("Credential should be scoped to the service 'ec2', not '" + c.service() + "'");
    }
    String amzDate = presigned ? r.param("X-Amz-Date") : r.header("x-amz-date");
    if (amzDate == null) {
      throw Ec2Exception.authFailure("x-amz-date is required with AWS4-HMAC-SHA256");
    }
    Instant when;
    try {
      when = V4_DATE.parse(amzDate, Instant::from);
    } catch (DateTimeParseException e) {
      throw Ec2Exception.authFailure("x-amz-date '" + amzDate + "' is not in the form yyyyMMdd'T'HHmmss'Z'");
    }
    if (!amzDate.startsWith(c.date())) {
      throw Ec2Exception.signatureDoesNotMatch();
    }
    Duration age = Duration.between(when, Instant.now()).abs();
    if (presigned) {
      long expires = Long.parseLong(r.params().getOrDefault("X-Amz-Expires", "900"));
      if (Instant.now().isAfter(when.plusSeconds(expires))) {
        throw new Ec2Exception(400, "RequestExpired", "Request has expired");
      }
    } else if (age.compareTo(MAX_AGE) > 0) {
      throw new Ec2Exception(400, "RequestExpired", "Request has expired (x-amz-date " + amzDate + ")");
    }
    Accounts.User user = holder(c.accessKey());
    String expected = SigV4.signature(user.secretKey(), c, amzDate, SigV4.canonicalRequest(r, c.signedHeaders(), presigned));
    if (!matches(c.signature(), expected)) {
      throw Ec2Exception.signatureDoesNotMatch();
    }
    return active(user);
  }

  private static void checkTime(QueryRequest r) {
    String ts = r.param("Timestamp");
    String exp = r.param("Expires");
    Instant now = Instant.now();
    if (exp != null) {
      if (now.isAfter(parseIso(exp, "Expires"))) {
        throw new Ec2Exception(400, "RequestExpired", "Request has expired (Expires " + exp + ")");
      }
    } else if (ts != null) {
      Duration age = Duration.between(parseIso(ts, "Timestamp"), now);
      if (age.compareTo(MAX_AGE) > 0 || age.compareTo(MAX_AGE.negated()) < 0) {
        throw new Ec2Exception(400, "RequestExpired", "Request has expired (Timestamp " + ts + ")");
      }
    } else {
      throw Ec2Exception.missingParameter("Timestamp");
    }
  }

  static Instant parseIso(String value, String name) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        throw Ec2Exception.invalidParameter(name + " '" + value + "' is not an ISO 8601 time");
      }
    }
  }

  static String hmac(String algorithm, String secret, String data) {
    return Base64.getEncoder().encodeToString(Hmacs.hmac(algorithm, secret.getBytes(StandardCharsets.UTF_8), data));
  }

  /** Constant-time comparison, so timing tells nothing about the expected signature. */
  static boolean matches(String given, String expected) {
    return Hmacs.sameSignature(given, expected);
  }

  static List<String> split(String s, String sep) {
    List<String> out = new ArrayList<>();
    for (String p : s.split(sep)) {
      out.add(p.trim());
    }
    return out;
  }
}
