package com.eucalyptus.walrus.auth.payload;

import com.eucalyptus.walrus.S3Exception;
import com.eucalyptus.walrus.auth.PayloadVerificationException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An aws-chunked upload that came with {@code Transfer-Encoding: chunked}, which the servlet
 * container has already de-chunked. Clients do this two ways: botocore lets the aws-chunked framing
 * be the HTTP framing itself, so the container has removed it (the object bytes come through plain
 * and the checksum arrives as an HTTP trailer field); others wrap the aws-chunked bytes in HTTP
 * chunks (an SDK streaming a body of unknown length), so they arrive still framed. The first line
 * tells which: still framed only if it is an aws-chunked chunk header. Chunk signatures can only be
 * checked in the second form (the container drops HTTP chunk extensions).
 */
public final class TransferChunkedPayloadInputStream extends InputStream {
  private static final Pattern SIGNED_HEADER = Pattern.compile("([0-9a-fA-F]{1,16});chunk-signature=[0-9a-fA-F]{64}\\r");
  private static final Pattern UNSIGNED_HEADER = Pattern.compile("([0-9a-fA-F]{1,16})\\r");
  private static final int MAX_PEEK = 4096;
  /** S3's smallest chunk but the last. */
  private static final long MIN_CHUNK = 8192;
  /** How far ahead an unsigned first chunk is looked at to see its CRLF. */
  private static final int MAX_LOOKAHEAD = 1 << 20;

  private final BufferedInputStream in;
  private final ChunkSigner signer;
  private final ChecksumAlgorithm trailerAlgorithm;
  private final long decodedLength;
  private final List<PayloadCheck> checks;
  private final Supplier<Map<String, String>> httpTrailers;
  private InputStream delegate;

  /**
   * @param httpTrailers the request's HTTP trailer fields (asked only once the body has been read)
   */
  public TransferChunkedPayloadInputStream(InputStream in, ChunkSigner signer, ChecksumAlgorithm trailerAlgorithm,
      long decodedLength, List<PayloadCheck> checks, Supplier<Map<String, String>> httpTrailers) {
    this.in = new BufferedInputStream(in, 65536);
    this.signer = signer;
    this.trailerAlgorithm = trailerAlgorithm;
    this.decodedLength = decodedLength;
    this.checks = List.copyOf(checks);
    this.httpTrailers = httpTrailers;
  }

  @Override
  public int read() throws IOException {
    return delegate().read();
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    return delegate().read(b, off, len);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private InputStream delegate() throws IOException {
    if (delegate == null) {
      delegate = stillFramed() ? new AwsChunkedInputStream(in, signer, trailerAlgorithm, decodedLength, checks)
          : plain();
    }
    return delegate;
  }

  private InputStream plain() throws PayloadVerificationException {
    if (signer != null) {
      throw new PayloadVerificationException(new S3Exception(400, "InvalidRequest",
          "Chunk signatures cannot be checked when the aws-chunked framing is the HTTP Transfer-Encoding framing"));
    }
    List<PayloadCheck> all = new ArrayList<>();
    if (trailerAlgorithm != null) {
      all.add(PayloadChecks.trailerChecksum(trailerAlgorithm, () -> trailerField(trailerAlgorithm.headerName())));
    }
    all.addAll(checks);
    return new CheckedPayloadInputStream(in, decodedLength, all);
  }

  private String trailerField(String name) {
    Map<String, String> fields = httpTrailers.get();
    if (fields == null) {
      return null;
    }
    for (Map.Entry<String, String> e : fields.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  /**
   * Peeks at the start of the body (without consuming it): is it an aws-chunked chunk header? A
   * signed one carries its chunk-signature and cannot be taken for data. An unsigned one is only a
   * hex size, which data may start with too (a CSV file of numbers), so it must also be a size S3
   * allows (8 KiB or more, or the whole object) and be followed, that many bytes further, by a CRLF.
   */
  private boolean stillFramed() throws IOException {
    in.mark(MAX_LOOKAHEAD + MAX_PEEK + 16);
    try {
      byte[] line = new byte[MAX_PEEK];
      int n = 0;
      boolean newline = false;
      while (n < MAX_PEEK) {
        int c = in.read();
        if (c < 0) {
          break;
        }
        if (c == '\n') {
          newline = true;
          break;
        }
        line[n++] = (byte) c;
      }
      if (!newline) {
        return false;
      }
      String first = new String(line, 0, n, StandardCharsets.ISO_8859_1);
      Matcher m = (signer != null ? SIGNED_HEADER : UNSIGNED_HEADER).matcher(first);
      if (!m.matches()) {
        return false;
      }
      long size = Long.parseLong(m.group(1), 16);
      if (decodedLength >= 0 && size > decodedLength) {
        return false;
      }
      if (signer != null) {
        return true;
      }
      boolean allowedSize = size == decodedLength || size >= MIN_CHUNK || (decodedLength < 0 && size == 0);
      if (!allowedSize || size > MAX_LOOKAHEAD) {
        return allowedSize;
      }
      in.skipNBytes(size);
      return in.read() == '\r' && in.read() == '\n';
    } catch (java.io.EOFException e) {
      return false;
    } finally {
      in.reset();
    }
  }
}
