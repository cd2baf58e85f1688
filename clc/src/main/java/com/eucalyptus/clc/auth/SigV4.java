package com.eucalyptus.clc.auth;

import com.eucalyptus.clc.api.Ec2Exception;
import com.eucalyptus.clc.api.QueryRequest;
import com.eucalyptus.runtime.auth.Hmacs;
import com.eucalyptus.runtime.auth.Rfc3986;
import com.eucalyptus.runtime.auth.SigV4Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Signature version 4 (AWS4-HMAC-SHA256) for the EC2 Query API: its canonical request. The key
 * derivation and the string to sign are shared with S3 ({@link SigV4Scope}).
 */
final class SigV4 {
  private SigV4() {
  }

  /** The credential scope and what the client signed. The region is taken as the client gives it. */
  record Credential(String accessKey, String date, String region, String service, List<String> signedHeaders,
      String signature) {
    SigV4Scope scope() {
      return new SigV4Scope(date, region, service);
    }
  }

  static Credential parseHeader(String header) {
    String rest = header.substring("AWS4-HMAC-SHA256".length()).trim();
    String credential = null;
    String signedHeaders = null;
    String signature = null;
    for (String part : rest.split(",")) {
      String p = part.trim();
      if (p.startsWith("Credential=")) {
        credential = p.substring("Credential=".length());
      } else if (p.startsWith("SignedHeaders=")) {
        signedHeaders = p.substring("SignedHeaders=".length());
      } else if (p.startsWith("Signature=")) {
        signature = p.substring("Signature=".length());
      }
    }
    return credential(credential, signedHeaders, signature);
  }

  static Credential parsePresigned(Map<String, String> params) {
    return credential(params.get("X-Amz-Credential"), params.get("X-Amz-SignedHeaders"), params.get("X-Amz-Signature"));
  }

  private static Credential credential(String credential, String signedHeaders, String signature) {
    if (credential == null || signedHeaders == null || signature == null) {
      throw new Ec2Exception(400, "IncompleteSignature", "AWS4-HMAC-SHA256 needs Credential, SignedHeaders and Signature");
    }
    SigV4Scope.Credential c;
    try {
      c = SigV4Scope.parseCredential(credential);
    } catch (IllegalArgumentException e) {
      throw new Ec2Exception(400, "IncompleteSignature", "Credential must be KEY/date/region/service/aws4_request");
    }
    SigV4Scope s = c.scope();
    return new Credential(c.accessKey(), s.date(), s.region(), s.service(), List.of(signedHeaders.toLowerCase().split(";")),
        signature);
  }

  static String canonicalRequest(QueryRequest r, List<String> signedHeaders, boolean presigned) {
    TreeMap<String, String> query = new TreeMap<>();
    if (r.rawQuery() != null && !r.rawQuery().isEmpty()) {
      Map<String, String> q = new java.util.LinkedHashMap<>();
      QueryRequest.parseForm(r.rawQuery(), q);
      q.forEach((k, v) -> {
        if (!(presigned && k.equals("X-Amz-Signature"))) {
          query.put(Rfc3986.encode(k, false), Rfc3986.encode(v, false));
        }
      });
    }
    String canonicalQuery = query.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
    List<String> headerLines = new ArrayList<>();
    for (String h : signedHeaders) {
      String v = h.equals("host") ? r.host() : r.header(h);
      headerLines.add(h + ":" + (v == null ? "" : v.trim().replaceAll("\\s+", " ")));
    }
    String payloadHash = presigned ? "UNSIGNED-PAYLOAD" : sha256Hex(r.body());
    String claimed = r.header("x-amz-content-sha256");
    if (!presigned && claimed != null && !claimed.equals("UNSIGNED-PAYLOAD") && !claimed.equals(payloadHash)) {
      throw new Ec2Exception(400, "XAmzContentSHA256Mismatch", "The provided x-amz-content-sha256 does not match the body");
    }
    String path = r.path().isEmpty() ? "/" : Rfc3986.encode(r.path(), true);
    return r.method() + "\n" + path + "\n" + canonicalQuery + "\n" + String.join("\n", headerLines) + "\n\n"
        + String.join(";", signedHeaders) + "\n" + payloadHash;
  }

  static String signature(String secret, Credential c, String amzDate, String canonicalRequest) {
    SigV4Scope scope = c.scope();
    return SigV4Scope.sign(scope.signingKey(secret), scope.stringToSign(amzDate, canonicalRequest));
  }

  static String sha256Hex(byte[] data) {
    return Hmacs.sha256Hex(data);
  }
}
