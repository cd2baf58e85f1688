package com.eucalyptus.walrus.auth.payload;

import com.eucalyptus.runtime.auth.Hmacs;
import com.eucalyptus.runtime.auth.SigV4Scope;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The signatures of an aws-chunked body signed with signature v4: each chunk's signature chains
 * from the previous one, the first from the request's (seed) signature; the trailer's from the
 * last chunk's.
 */
public final class ChunkSigner {
  private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private final byte[] signingKey;
  private final String amzDate;
  private final String scope;
  private String previous;

  /**
   * @param signingKey the v4 signing key of the request's credential scope
   * @param amzDate the request's x-amz-date
   * @param scope the credential scope, {@code date/region/s3/aws4_request}
   * @param seedSignature the signature of the request's headers
   */
  public ChunkSigner(byte[] signingKey, String amzDate, String scope, String seedSignature) {
    this.signingKey = signingKey.clone();
    this.amzDate = amzDate;
    this.scope = scope;
    this.previous = seedSignature;
  }

  /** Checks the next chunk's signature, given the SHA-256 of its data, and moves the chain on. */
  public boolean verifyChunk(byte[] chunkSha256, String signature) {
    String expected = SigV4Scope.sign(signingKey, "AWS4-HMAC-SHA256-PAYLOAD\n" + amzDate + "\n" + scope + "\n" + previous
        + "\n" + EMPTY_SHA256 + "\n" + HexFormat.of().formatHex(chunkSha256));
    previous = expected;
    return Hmacs.sameSignature(signature, expected);
  }

  /** Checks the trailer's signature over its canonical form ({@code name:value\n} per header). */
  public boolean verifyTrailer(String canonicalTrailer, String signature) {
    String expected = SigV4Scope.sign(signingKey, "AWS4-HMAC-SHA256-TRAILER\n" + amzDate + "\n" + scope + "\n" + previous
        + "\n" + Hmacs.sha256Hex(canonicalTrailer.getBytes(StandardCharsets.UTF_8)));
    return Hmacs.sameSignature(signature, expected);
  }
}
