package com.eucalyptus.runtime.auth;

import java.util.HexFormat;

/**
 * A signature version 4 credential scope ({@code date/region/service/aws4_request}) and what is
 * derived from it: the signing key and the string to sign. Shared by the EC2 Query API and S3.
 */
public record SigV4Scope(String date, String region, String service) {
  public static final String ALGORITHM = "AWS4-HMAC-SHA256";

  public String value() {
    return date + "/" + region + "/" + service + "/aws4_request";
  }

  /** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
  public byte[] signingKey(String secretKey) {
    byte[] k = Hmacs.hmacSha256(("AWS4" + secretKey).getBytes(java.nio.charset.StandardCharsets.UTF_8), date);
    k = Hmacs.hmacSha256(k, region);
    k = Hmacs.hmacSha256(k, service);
    return Hmacs.hmacSha256(k, "aws4_request");
  }

  /** The string to sign of a request: algorithm, time, scope and the hash of the canonical request. */
  public String stringToSign(String amzDate, String canonicalRequest) {
    return ALGORITHM + "\n" + amzDate + "\n" + value() + "\n"
        + Hmacs.sha256Hex(canonicalRequest.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The lower-case hex HMAC-SHA256 of {@code stringToSign} under {@code signingKey}. */
  public static String sign(byte[] signingKey, String stringToSign) {
    return HexFormat.of().formatHex(Hmacs.hmacSha256(signingKey, stringToSign));
  }

  /**
   * Parses {@code KEY/date/region/service/aws4_request}.
   *
   * @throws IllegalArgumentException when it has not that form
   */
  public static Credential parseCredential(String credential) {
    if (credential == null) {
      throw new IllegalArgumentException("the Credential is missing");
    }
    String[] c = credential.split("/", -1);
    if (c.length != 5 || !c[4].equals("aws4_request") || c[0].isEmpty() || !c[1].matches("\\d{8}")) {
      throw new IllegalArgumentException("Credential must be KEY/date/region/service/aws4_request, not '" + credential + "'");
    }
    return new Credential(c[0], new SigV4Scope(c[1], c[2], c[3]));
  }

  /** An access key and the scope the client signed with. */
  public record Credential(String accessKey, SigV4Scope scope) {}
}
