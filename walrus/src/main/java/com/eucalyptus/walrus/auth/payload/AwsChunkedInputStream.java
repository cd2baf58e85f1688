package com.eucalyptus.walrus.auth.payload;

import com.eucalyptus.runtime.auth.Hmacs;
import com.eucalyptus.walrus.S3Exception;
import com.eucalyptus.walrus.auth.PayloadVerificationException;
import com.eucalyptus.walrus.auth.SignatureMismatchException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes an aws-chunked body ({@code hex-size[;chunk-signature=sig]\r\n data \r\n ... 0...\r\n
 * [trailer lines]\r\n}) as it is read, never holding more than a read buffer. Chunk signatures
 * (when a {@link ChunkSigner} is given) are checked at the end of each chunk, before any byte of
 * the next one is returned; the trailer's checksum and signature, the decoded length and the
 * further checks at end of stream. A failed check is a {@link PayloadVerificationException}; a
 * body that simply stops (the client went away) is an {@link EOFException}.
 */
public final class AwsChunkedInputStream extends InputStream {
  private static final int MAX_LINE = 4096;
  private static final int MAX_TRAILER_LINES = 32;

  private final InputStream in;
  private final ChunkSigner signer;
  private final ChecksumAlgorithm trailerAlgorithm;
  private final ChecksumAlgorithm.Digest trailerDigest;
  private final long decodedLength;
  private final List<PayloadCheck> checks;
  private final MessageDigest chunkSha;
  private long remaining;
  private String chunkSignature;
  private long total;
  private boolean done;
  private PayloadVerificationException failure;

  /**
   * @param in the raw request body
   * @param signer checks chunk and trailer signatures; null for STREAMING-UNSIGNED-PAYLOAD-TRAILER
   * @param trailerAlgorithm the checksum named by x-amz-trailer, or null when no trailer is expected
   * @param decodedLength x-amz-decoded-content-length, or -1 when not given
   * @param checks further checks over the decoded bytes (e.g. an x-amz-checksum-* header)
   */
  public AwsChunkedInputStream(InputStream in, ChunkSigner signer, ChecksumAlgorithm trailerAlgorithm, long decodedLength,
      List<PayloadCheck> checks) {
    this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 65536);
    this.signer = signer;
    this.trailerAlgorithm = trailerAlgorithm;
    this.trailerDigest = trailerAlgorithm == null ? null : trailerAlgorithm.newDigest();
    this.decodedLength = decodedLength;
    this.checks = List.copyOf(checks);
    this.chunkSha = signer == null ? null : Hmacs.sha256();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (failure != null) {
      throw failure; // a failed body stays failed, whoever reads on
    }
    if (done) {
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    try {
      if (remaining == 0 && !nextChunk()) {
        finish();
        done = true;
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n < 0) {
        throw new EOFException("the body ended inside a chunk (" + remaining + " bytes missing)");
      }
      remaining -= n;
      total += n;
      if (decodedLength >= 0 && total > decodedLength) {
        throw incompleteBody();
      }
      if (chunkSha != null) {
        chunkSha.update(b, off, n);
      }
      if (trailerDigest != null) {
        trailerDigest.update(b, off, n);
      }
      for (PayloadCheck c : checks) {
        c.update(b, off, n);
      }
      if (remaining == 0) {
        endChunk();
      }
      return n;
    } catch (PayloadVerificationException e) {
      failure = e;
      throw e;
    }
  }

  @Override
  public int available() throws IOException {
    return failure != null || done ? 0 : (int) Math.min(remaining, in.available());
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** Reads the next chunk's header; false when it is the final (empty) chunk. */
  private boolean nextChunk() throws IOException {
    String header = readLine();
    if (header == null) {
      throw new EOFException("the body ended before its final chunk");
    }
    String[] parts = header.split(";");
    long size;
    try {
      size = Long.parseLong(parts[0].trim(), 16);
    } catch (NumberFormatException e) {
      throw malformed("bad chunk size '" + shorten(parts[0]) + "'");
    }
    if (size < 0) {
      throw malformed("negative chunk size");
    }
    chunkSignature = null;
    for (int i = 1; i < parts.length; i++) {
      String ext = parts[i].trim();
      if (ext.startsWith("chunk-signature=")) {
        chunkSignature = ext.substring("chunk-signature=".length());
      }
    }
    if (signer != null && chunkSignature == null) {
      throw new PayloadVerificationException(SignatureMismatchException.ofPayload());
    }
    if (size == 0) {
      if (signer != null) {
        verifyChunkSignature();
      }
      return false;
    }
    remaining = size;
    return true;
  }

  /** After a chunk's data: its CRLF, then its signature. */
  private void endChunk() throws IOException {
    String crlf = readLine();
    if (crlf == null) {
      throw new EOFException("the body ended after a chunk's data");
    }
    if (!crlf.isEmpty()) {
      throw malformed("a chunk is longer than its size says");
    }
    if (signer != null) {
      verifyChunkSignature();
    }
  }

  private void verifyChunkSignature() throws PayloadVerificationException {
    if (!signer.verifyChunk(chunkSha.digest(), chunkSignature)) {
      throw new PayloadVerificationException(SignatureMismatchException.ofPayload());
    }
  }

  /** The trailer section after the final chunk, then the end-of-stream checks. */
  private void finish() throws IOException {
    Map<String, String> trailers = new LinkedHashMap<>();
    StringBuilder canonical = new StringBuilder();
    String trailerSignature = null;
    boolean endedByEof = false;
    boolean leadingBlank = false;
    for (int lines = 0;; lines++) {
      if (lines > MAX_TRAILER_LINES) {
        throw malformedTrailer();
      }
      String line = readLine();
      if (line == null) {
        endedByEof = true;
        break;
      }
      if (line.isEmpty()) {
        // some writers put an empty line between the final chunk and the trailer
        if (trailerAlgorithm != null && trailers.isEmpty() && trailerSignature == null && !leadingBlank) {
          leadingBlank = true;
          continue;
        }
        break;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw malformedTrailer();
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      if (name.equals("x-amz-trailer-signature")) {
        trailerSignature = value;
      } else {
        trailers.put(name, value);
        canonical.append(name).append(':').append(value).append('\n');
      }
    }
    if (trailerAlgorithm != null) {
      String value = trailers.get(trailerAlgorithm.headerName());
      if (value == null || (signer != null && trailerSignature == null)) {
        if (endedByEof) {
          throw new EOFException("the body ended before its trailer");
        }
        throw malformedTrailer();
      }
      if (signer != null && !signer.verifyTrailer(canonical.toString(), trailerSignature)) {
        throw new PayloadVerificationException(SignatureMismatchException.ofPayload());
      }
      if (!PayloadChecks.wellFormed(trailerAlgorithm, value)) {
        throw new PayloadVerificationException(new S3Exception(400, "InvalidRequest",
            "Value for " + trailerAlgorithm.headerName() + " trailing header is invalid."));
      }
      if (!trailerDigest.base64().equals(value)) {
        throw new PayloadVerificationException(PayloadChecks.badDigest(trailerAlgorithm));
      }
    }
    if (decodedLength >= 0 && total != decodedLength) {
      throw incompleteBody();
    }
    for (PayloadCheck c : checks) {
      c.verify();
    }
  }

  /** A line without its CRLF (a bare LF is taken too); null at end of stream before any byte. */
  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(96);
    while (true) {
      int c = in.read();
      if (c < 0) {
        if (line.size() == 0) {
          return null;
        }
        throw new EOFException("the body ended inside a chunk header or trailer");
      }
      if (c == '\n') {
        break;
      }
      if (line.size() >= MAX_LINE) {
        throw malformed("a chunk header or trailer line is too long");
      }
      line.write(c);
    }
    String s = line.toString(StandardCharsets.ISO_8859_1);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  private PayloadVerificationException incompleteBody() {
    return new PayloadVerificationException(new S3Exception(400, "IncompleteBody",
        "You did not provide the number of bytes specified by the x-amz-decoded-content-length HTTP header."));
  }

  private static PayloadVerificationException malformed(String why) {
    return new PayloadVerificationException(new S3Exception(400, "IncompleteBody",
        "The aws-chunked body is malformed: " + why + "."));
  }

  private static PayloadVerificationException malformedTrailer() {
    return new PayloadVerificationException(new S3Exception(400, "MalformedTrailerError",
        "The request contained trailing data that was not well-formed or did not conform to our published schema."));
  }

  private static String shorten(String s) {
    return s.length() > 20 ? s.substring(0, 20) + "..." : s;
  }
}
