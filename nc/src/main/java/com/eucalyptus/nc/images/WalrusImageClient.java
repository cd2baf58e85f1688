package com.eucalyptus.nc.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Fetches an image (machine image, kernel or ramdisk) from Walrus the way the 1.5.2 NC did
 * (storage/storage.c get_cached_file, storage/walrus.c):
 * <ol>
 * <li>a signed plain GET of the manifest URL gives the manifest, whose {@code <image><size>} is
 * the size of the decrypted image;</li>
 * <li>a signed GET of the same URL with {@code EucaOperation: GetDecryptedImage} and
 * {@code ?IsCompressed=true} gives the decrypted image, gzipped.</li>
 * </ol>
 * The image is written to a temporary file next to the destination and moved into place only
 * when gunzip ended cleanly (gzip's CRC-32 and length trailer) and the size equals the
 * manifest's; otherwise the attempt is retried, up to {@code attempts} times. Everything about
 * the wire (header, query, authentication) is in this class, so it can follow Walrus's
 * GetDecryptedImage exactly.
 */
public class WalrusImageClient {
  private static final Logger LOG = LogManager.getLogger(WalrusImageClient.class);
  private static final Pattern IMAGE_SIZE = Pattern.compile("<image>.*?<size>\\s*(\\d+)\\s*</size>", Pattern.DOTALL);
  private final HttpClient http;
  private final WalrusRequestSigner signer;
  private final int attempts;
  private final Duration retryDelay;

  /** @param signer signs with the node key; null only where Walrus does not check (tests without keys) */
  public WalrusImageClient(WalrusRequestSigner signer, int attempts, Duration retryDelay) {
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
    this.signer = signer;
    this.attempts = Math.max(1, attempts);
    this.retryDelay = retryDelay;
  }

  /** What was downloaded: the manifest's text, the image's size and SHA-1 (hex). */
  public record FetchedImage(String manifest, long size, String sha1) {
  }

  /** The manifest at {@code manifestUrl} (signed GET), retried like the image. */
  public String fetchManifest(URI manifestUrl) throws IOException {
    IOException last = null;
    for (int i = 1; i <= attempts; i++) {
      try {
        HttpResponse<String> r = http.send(request(manifestUrl, manifestUrl, false).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (r.statusCode() != 200) {
          throw new ImageFetchException("GET " + manifestUrl + " answered HTTP " + r.statusCode() + ": " + abbreviate(r.body()),
              r.statusCode() >= 500);
        }
        return r.body();
      } catch (ImageFetchException e) {
        if (!e.retryable()) {
          throw e;
        }
        last = e;
      } catch (IOException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while fetching " + manifestUrl, e);
      }
      pause(i, manifestUrl, last);
    }
    throw last;
  }

  /** The image's size as the manifest states it. */
  public static long imageSize(String manifest) throws IOException {
    Matcher m = IMAGE_SIZE.matcher(manifest);
    if (!m.find()) {
      throw new ImageFetchException("the manifest has no <image><size>", false);
    }
    return Long.parseLong(m.group(1));
  }

  /** Downloads the decrypted image of {@code manifestUrl} into {@code destination}. */
  public FetchedImage fetch(URI manifestUrl, Path destination) throws IOException {
    return fetch(manifestUrl, fetchManifest(manifestUrl), destination);
  }

  /** As {@link #fetch(URI, Path)} with the manifest already fetched. */
  public FetchedImage fetch(URI manifestUrl, String manifest, Path destination) throws IOException {
    long expected = imageSize(manifest);
    URI imageUri = URI.create(manifestUrl + (manifestUrl.getRawQuery() == null ? "?" : "&") + "IsCompressed=true");
    IOException last = null;
    for (int i = 1; i <= attempts; i++) {
      Path part = destination.resolveSibling(destination.getFileName() + ".part");
      try {
        HttpResponse<InputStream> r = http.send(request(imageUri, manifestUrl, true).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = r.body()) {
          if (r.statusCode() != 200) {
            String text = new String(body.readNBytes(2048), StandardCharsets.UTF_8);
            throw new ImageFetchException("GetDecryptedImage " + manifestUrl + " answered HTTP " + r.statusCode() + ": "
                + abbreviate(text), r.statusCode() >= 500);
          }
          // asked for IsCompressed=true: gzip, told by its magic bytes so a plain answer works too
          java.io.BufferedInputStream buffered = new java.io.BufferedInputStream(body, 1 << 16);
          buffered.mark(2);
          boolean gzipped = buffered.read() == 0x1f && buffered.read() == 0x8b;
          buffered.reset();
          String sha1 = copy(gzipped ? new GZIPInputStream(buffered, 1 << 16) : buffered, part);
          long size = Files.size(part);
          if (size != expected) {
            throw new ImageFetchException("GetDecryptedImage " + manifestUrl + " gave " + size + " bytes, the manifest says "
                + expected, true);
          }
          Files.move(part, destination, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          LOG.info("fetched {} ({} bytes, sha1 {})", manifestUrl, size, sha1);
          return new FetchedImage(manifest, size, sha1);
        }
      } catch (ImageFetchException e) {
        Files.deleteIfExists(part);
        if (!e.retryable()) {
          throw e;
        }
        last = e;
      } catch (IOException e) {
        Files.deleteIfExists(part);
        last = new IOException("GetDecryptedImage " + manifestUrl + " failed: " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Files.deleteIfExists(part);
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while fetching " + manifestUrl, e);
      }
      pause(i, manifestUrl, last);
    }
    throw last;
  }

  private HttpRequest.Builder request(URI uri, URI manifestUrl, boolean decryptedImage) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET().timeout(Duration.ofMinutes(30));
    if (decryptedImage) {
      b.header("EucaOperation", "GetDecryptedImage");
    }
    return signer == null ? b : signer.sign(b, "GET", manifestUrl.getRawPath());
  }

  private void pause(int attempt, URI url, IOException why) throws IOException {
    if (attempt >= attempts) {
      return;
    }
    LOG.warn("fetching {} failed (attempt {} of {}): {}; retrying", url, attempt, attempts, why.getMessage());
    try {
      Thread.sleep(retryDelay.toMillis() * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting to retry " + url, e);
    }
  }

  /** Copies into {@code file} and returns the SHA-1 of what was written. */
  static String copy(InputStream in, Path file) throws IOException {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[1 << 16];
    try (OutputStream out = Files.newOutputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        sha1.update(buf, 0, n);
        out.write(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha1.digest());
  }

  private static String abbreviate(String s) {
    String t = s.strip();
    return t.length() > 300 ? t.substring(0, 300) + "..." : t;
  }

  /** A fetch that failed; {@code retryable} when another attempt may succeed (5xx, short read). */
  public static class ImageFetchException extends IOException {
    private final boolean retryable;

    public ImageFetchException(String message, boolean retryable) {
      super(message);
      this.retryable = retryable;
    }

    public boolean retryable() {
      return retryable;
    }
  }
}
