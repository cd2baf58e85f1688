package com.eucalyptus.walrus.auth;

import com.eucalyptus.walrus.S3Exception;
import com.eucalyptus.walrus.auth.payload.AwsChunkedInputStream;
import com.eucalyptus.walrus.auth.payload.CheckedPayloadInputStream;
import com.eucalyptus.walrus.auth.payload.ChecksumAlgorithm;
import com.eucalyptus.walrus.auth.payload.ChunkSigner;
import com.eucalyptus.walrus.auth.payload.PayloadCheck;
import com.eucalyptus.walrus.auth.payload.PayloadChecks;
import com.eucalyptus.walrus.auth.payload.TransferChunkedPayloadInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns a request body into the object bytes, by the form x-amz-content-sha256 declares: a plain
 * body (UNSIGNED-PAYLOAD, or its hex SHA-256, checked), or aws-chunked (chunk-signed and/or with a
 * checksum trailer). An x-amz-checksum-* header is checked over the decoded bytes in every form.
 */
final class PayloadDecoder {
  static final String STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
  static final String STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
  static final String STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

  private PayloadDecoder() {
  }

  /**
   * @param chunkSigner the chain of a v4 header-signed request, or null (v2, presigned, anonymous)
   */
  static AuthResult decode(SignedRequest r, Optional<WalrusUser> user, ChunkSigner chunkSigner)
      throws S3Exception {
    String contentSha = r.header("x-amz-content-sha256");
    List<PayloadCheck> checks = new ArrayList<>();
    boolean signedSha = contentSha != null && contentSha.matches("[0-9a-fA-F]{64}");
    if (signedSha) {
      checks.add(PayloadChecks.contentSha256(contentSha)); // what was signed is checked first
    }
    headerChecksum(r).ifPresent(checks::add);
    if (contentSha == null || contentSha.equals(SignatureV4.UNSIGNED_PAYLOAD) || signedSha) {
      return plain(r, user, checks);
    }
    if (contentSha.startsWith("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD")) {
      throw S3AuthErrors.notImplemented("Signature version 4A (AWS4-ECDSA-P256-SHA256) is not supported");
    }
    boolean signed = contentSha.equals(STREAMING_SIGNED) || contentSha.equals(STREAMING_SIGNED_TRAILER);
    boolean trailer = contentSha.equals(STREAMING_SIGNED_TRAILER) || contentSha.equals(STREAMING_UNSIGNED_TRAILER);
    if (!signed && !trailer) {
      throw S3AuthErrors.invalidArgument("x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
          + ", STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-UNSIGNED-PAYLOAD-TRAILER or a valid sha256 value.");
    }
    if (signed && chunkSigner == null) {
      throw S3AuthErrors.invalidRequest(contentSha + " needs a request signed with an AWS4-HMAC-SHA256 Authorization header");
    }
    ChecksumAlgorithm trailerAlgorithm = null;
    String declared = r.header("x-amz-trailer");
    if (trailer) {
      if (declared == null) {
        throw S3AuthErrors.invalidRequest("x-amz-trailer is required with " + contentSha);
      }
      trailerAlgorithm = ChecksumAlgorithm.ofHeader(declared).orElseThrow(() -> S3AuthErrors.invalidRequest(
          "The value specified in the x-amz-trailer header is not supported"));
    }
    long decodedLength = lengthHeader(r, "x-amz-decoded-content-length");
    ChunkSigner signer = signed ? chunkSigner : null;
    if (transferChunked(r)) {
      HttpServletRequest servlet = r.servletRequest();
      return new AuthResult(user, new TransferChunkedPayloadInputStream(body(r), signer, trailerAlgorithm, decodedLength,
          checks, servlet::getTrailerFields), decodedLength);
    }
    return new AuthResult(user, new AwsChunkedInputStream(body(r), signer, trailerAlgorithm, decodedLength, checks),
        decodedLength);
  }

  private static AuthResult plain(SignedRequest r, Optional<WalrusUser> user, List<PayloadCheck> checks)
      throws S3Exception {
    long length = r.servletRequest().getContentLengthLong();
    InputStream body = body(r);
    // with no check and no known length there is nothing to add to the container's own stream
    return new AuthResult(user, checks.isEmpty() && length < 0 ? body : new CheckedPayloadInputStream(body, length, checks),
        length);
  }

  /** An x-amz-checksum-{crc32,crc32c,crc64nvme,sha1,sha256} header; at most one. */
  private static Optional<PayloadCheck> headerChecksum(SignedRequest r) throws S3Exception {
    PayloadCheck found = null;
    for (String name : r.headerNames()) {
      var algorithm = ChecksumAlgorithm.ofHeader(name);
      if (algorithm.isEmpty()) {
        continue;
      }
      if (found != null) {
        throw S3AuthErrors.invalidRequest("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
      }
      String value = r.header(name);
      if (!PayloadChecks.wellFormed(algorithm.get(), value)) {
        throw S3AuthErrors.invalidRequest("Value for " + algorithm.get().headerName() + " header is invalid.");
      }
      found = PayloadChecks.checksum(algorithm.get(), value);
    }
    return Optional.ofNullable(found);
  }

  private static boolean transferChunked(SignedRequest r) {
    for (String te : r.headers("Transfer-Encoding")) {
      if (te.toLowerCase(Locale.ROOT).contains("chunked")) {
        return true;
      }
    }
    return false;
  }

  private static long lengthHeader(SignedRequest r, String name) throws S3Exception {
    String v = r.header(name);
    if (v == null) {
      return -1;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw S3AuthErrors.invalidArgument(name + " must be a non-negative number");
    }
  }

  private static InputStream body(SignedRequest r) throws S3Exception {
    try {
      return r.servletRequest().getInputStream();
    } catch (IOException e) {
      throw new S3Exception(400, "IncompleteBody", "The request body could not be read: " + e.getMessage());
    }
  }
}
