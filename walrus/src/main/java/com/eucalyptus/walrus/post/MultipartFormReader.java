package com.eucalyptus.walrus.post;

import com.eucalyptus.walrus.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a multipart/form-data body part by part, streaming: a part's content is read through
 * {@link #content()} without being held in memory (the file of a browser upload may be large).
 */
public final class MultipartFormReader {
  private static final int MAX_HEADER_LINE = 8192;
  private final InputStream in;
  private final byte[] delimiter;
  private final byte[] buf;
  private int pos;
  private int lim;
  private boolean eof;
  private boolean partDone = true;
  private boolean finished;
  private Map<String, String> headers = Map.of();

  public MultipartFormReader(InputStream body, String boundary) {
    // the first boundary line has no CRLF before it: add one so every delimiter looks the same
    this.in = new SequenceInputStream(new ByteArrayInputStream("\r\n".getBytes(StandardCharsets.US_ASCII)), body);
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    this.buf = new byte[64 * 1024 + delimiter.length];
  }

  /** The boundary parameter of a multipart/form-data Content-Type. */
  public static String boundary(String contentType) throws S3Exception {
    for (String p : contentType.split(";")) {
      String t = p.trim();
      if (t.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
        String b = t.substring(9).trim();
        if (b.startsWith("\"") && b.endsWith("\"") && b.length() >= 2) {
          b = b.substring(1, b.length() - 1);
        }
        if (!b.isEmpty()) {
          return b;
        }
      }
    }
    throw malformed("no multipart boundary");
  }

  /** Moves to the next part (skipping what is left of this one); false at the end of the form. */
  public boolean next() throws IOException, S3Exception {
    if (finished) {
      return false;
    }
    if (!partDone) {
      byte[] skip = new byte[8192];
      while (readContent(skip, 0, skip.length) >= 0) {
        // drain
      }
    } else if (pos == 0 && lim == 0) {
      // before the first part: find the first delimiter
      byte[] skip = new byte[8192];
      partDone = false;
      while (readContent(skip, 0, skip.length) >= 0) {
        // preamble
      }
    }
    String after = line();
    if (after.startsWith("--")) {
      finished = true;
      return false;
    }
    if (!after.isBlank()) {
      throw malformed("bad boundary line");
    }
    Map<String, String> h = new LinkedHashMap<>();
    for (String l = line(); !l.isEmpty(); l = line()) {
      int colon = l.indexOf(':');
      if (colon > 0) {
        h.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
      }
      if (h.size() > 50) {
        throw malformed("too many part headers");
      }
    }
    headers = h;
    partDone = false;
    return true;
  }

  public Map<String, String> headers() {
    return headers;
  }

  /** A parameter of the part's Content-Disposition, e.g. "name" or "filename"; null if absent. */
  public String dispositionParam(String name) {
    String d = headers.get("content-disposition");
    if (d == null) {
      return null;
    }
    for (String p : d.split(";")) {
      String t = p.trim();
      int eq = t.indexOf('=');
      if (eq > 0 && t.substring(0, eq).trim().equalsIgnoreCase(name)) {
        String v = t.substring(eq + 1).trim();
        if (v.startsWith("\"") && v.endsWith("\"") && v.length() >= 2) {
          v = v.substring(1, v.length() - 1);
        }
        return v;
      }
    }
    return null;
  }

  /** The current part's content, up to the next boundary. */
  public InputStream content() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n;
        while ((n = read(one, 0, 1)) == 0) {
          // wait for a byte
        }
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return readContent(b, off, len);
      }
    };
  }

  /** The current part's content as text, at most {@code max} bytes. */
  public String text(int max) throws IOException, S3Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] b = new byte[4096];
    int n;
    while ((n = readContent(b, 0, b.length)) >= 0) {
      out.write(b, 0, n);
      if (out.size() > max) {
        throw new S3Exception(400, "MaxPostPreDataLengthExceeded", "Your POST request fields preceding the upload file were too large.");
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private int readContent(byte[] b, int off, int len) throws IOException {
    if (partDone) {
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    fill();
    int found = indexOfDelimiter();
    if (found == pos) {
      pos += delimiter.length;
      partDone = true;
      return -1;
    }
    int available;
    if (found >= 0) {
      available = found - pos;
    } else if (eof) {
      throw new IOException("the form ended without its closing boundary");
    } else {
      available = lim - pos - (delimiter.length - 1);
    }
    int n = Math.min(available, len);
    System.arraycopy(buf, pos, b, off, n);
    pos += n;
    return n;
  }

  private void fill() throws IOException {
    if (lim - pos >= delimiter.length + 1 || eof) {
      return;
    }
    System.arraycopy(buf, pos, buf, 0, lim - pos);
    lim -= pos;
    pos = 0;
    while (lim < buf.length) {
      int n = in.read(buf, lim, buf.length - lim);
      if (n < 0) {
        eof = true;
        break;
      }
      lim += n;
      if (lim - pos >= delimiter.length + 1) {
        break;
      }
    }
  }

  private int indexOfDelimiter() {
    outer:
    for (int i = pos; i <= lim - delimiter.length; i++) {
      if (buf[i] != delimiter[0]) {
        continue;
      }
      for (int j = 1; j < delimiter.length; j++) {
        if (buf[i + j] != delimiter[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** A header or boundary-suffix line, read byte by byte after a delimiter (ISO-8859-1). */
  private String line() throws IOException, S3Exception {
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= lim) {
        if (eof) {
          return sb.toString();
        }
        fillAny();
        if (pos >= lim) {
          return sb.toString();
        }
      }
      char c = (char) (buf[pos++] & 0xff);
      if (c == '\n') {
        int len = sb.length();
        return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
      }
      sb.append(c);
      if (sb.length() > MAX_HEADER_LINE) {
        throw malformed("part header line too long");
      }
    }
  }

  private void fillAny() throws IOException {
    System.arraycopy(buf, pos, buf, 0, lim - pos);
    lim -= pos;
    pos = 0;
    int n = in.read(buf, lim, buf.length - lim);
    if (n < 0) {
      eof = true;
    } else {
      lim += n;
    }
  }

  static S3Exception malformed(String why) {
    return new S3Exception(400, "MalformedPOSTRequest",
        "The body of your POST request is not well-formed multipart/form-data (" + why + ").");
  }
}
