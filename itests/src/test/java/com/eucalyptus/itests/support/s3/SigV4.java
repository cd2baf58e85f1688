package com.eucalyptus.itests.support.s3;

import com.eucalyptus.itests.support.CloudInstallation.Credentials;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signature v4 in the Authorization header for a request no SDK would send (e.g. an aws-chunked
 * body whose trailer is wrong): region us-east-1, service s3, no query string; the payload is
 * whatever the x-amz-content-sha256 header says (a hash, UNSIGNED-PAYLOAD or STREAMING-…).
 */
public final class SigV4 {
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  private SigV4() {
  }

  /**
   * Returns {@code headers} (lower-case names, "host" and "x-amz-content-sha256" among them) with
   * x-amz-date and Authorization added, every one of them signed.
   */
  public static Map<String, String> sign(Credentials c, String method, String rawPath, Map<String, String> headers) {
    String amzDate = AMZ_DATE.format(Instant.now());
    String day = amzDate.substring(0, 8);
    TreeMap<String, String> h = new TreeMap<>(headers);
    h.put("x-amz-date", amzDate);
    String signedHeaders = String.join(";", h.keySet());
    String canonical = method + "\n" + rawPath + "\n\n"
        + h.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue().trim() + "\n").collect(Collectors.joining())
        + "\n" + signedHeaders + "\n" + h.get("x-amz-content-sha256");
    String scope = day + "/us-east-1/s3/aws4_request";
    String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + sha256Hex(canonical);
    h.put("authorization", "AWS4-HMAC-SHA256 Credential=" + c.accessKey() + "/" + scope + ", SignedHeaders="
        + signedHeaders + ", Signature=" + signature(c, day, toSign));
    return h;
  }

  /** The hex signature of {@code toSign} with the key of {@code day}, us-east-1, s3 (also a POST policy's). */
  static String signature(Credentials c, String day, String toSign) {
    byte[] key = hmac(("AWS4" + c.secretKey()).getBytes(StandardCharsets.UTF_8), day);
    key = hmac(key, "us-east-1");
    key = hmac(key, "s3");
    key = hmac(key, "aws4_request");
    return HexFormat.of().formatHex(hmac(key, toSign));
  }

  private static String sha256Hex(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
