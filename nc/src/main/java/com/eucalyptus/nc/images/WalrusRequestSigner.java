package com.eucalyptus.nc.images;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;

/**
 * Walrus's internal authentication as the 1.5.2 NC does it (storage/walrus.c, util/euca_auth.c
 * euca_sign_url): {@code Authorization: Euca}, {@code Date}, {@code EucaCert} = base64 of the PEM
 * node certificate and {@code EucaSignature} = base64 of RSA-SHA1 over
 * {@code "VERB\nDATE\nPATH\n"} with node-pk.pem. Walrus accepts certificates in its keystore
 * (the node certificates) and then serves the request as the admin.
 */
public final class WalrusRequestSigner {
  /** asctime(3) as the C NC wrote it, e.g. "Tue Nov 24 14:30:21 2026". */
  private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);
  private final PrivateKey key;
  private final String certificatePemBase64;

  public WalrusRequestSigner(PrivateKey key, X509Certificate certificate) {
    this.key = key;
    this.certificatePemBase64 = Base64.getEncoder().encodeToString(
        com.eucalyptus.runtime.crypto.Pem.toPem(certificate).getBytes(StandardCharsets.US_ASCII));
  }

  /** Adds the four headers for a request of {@code verb} on {@code path} (no query string). */
  public HttpRequest.Builder sign(HttpRequest.Builder request, String verb, String path) {
    String date = ZonedDateTime.now(ZoneOffset.UTC).format(ASCTIME);
    String signature;
    try {
      Signature rsa = Signature.getInstance("SHA1withRSA");
      rsa.initSign(key);
      rsa.update((verb + "\n" + date + "\n" + path + "\n").getBytes(StandardCharsets.UTF_8));
      signature = Base64.getEncoder().encodeToString(rsa.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a Walrus request with the node key: " + e.getMessage(), e);
    }
    return request.header("Authorization", "Euca").header("Date", date).header("EucaCert", certificatePemBase64)
        .header("EucaSignature", signature);
  }
}
