package com.eucalyptus.walrus.imagecache;

import com.eucalyptus.runtime.crypto.Pem;
import com.eucalyptus.walrus.S3Exception;
import com.eucalyptus.walrus.http.S3Call;
import com.eucalyptus.walrus.http.XmlOut;
import com.eucalyptus.walrus.images.BundleDecryptor;
import com.eucalyptus.walrus.images.BundleObjects;
import com.eucalyptus.walrus.images.ImageBundleException;
import com.eucalyptus.walrus.images.ImageManifest;
import com.eucalyptus.walrus.images.ManifestParser;
import com.eucalyptus.walrus.images.ManifestSignatureVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Walrus's image service for the Node Controllers, 1.5.2's internal operations chosen by the
 * {@code EucaOperation} header on a request for a manifest ({@code /services/Walrus/bucket/key}),
 * signed with the node certificate ({@link NodeRequestAuthenticator}):
 * <ul>
 *   <li>{@code GET} GetDecryptedImage: the raw image (decrypted from the cache, decrypting it
 *       first when needed); {@code ?IsCompressed=true} gzips the stream;
 *   <li>CheckImage: whether the image is cached ({@code <cached>}, {@code <decrypting>});
 *   <li>CacheImage: starts decrypting it in the background;
 *   <li>FlushCachedImage: deletes its cached copy;
 *   <li>no EucaOperation (but {@code Authorization: Euca}): the manifest itself, the NC's first step.
 * </ul>
 * Every decryption first checks the manifest's signature again (against the certificates of the
 * manifest object's owner) and every part's SHA1.
 */
public final class ImageService {
  private static final Logger LOG = LogManager.getLogger(ImageService.class);
  public static final String OPERATION_HEADER = "EucaOperation";
  private final BundleObjects bundles;
  private final ImageCache cache;
  private final NodeRequestAuthenticator authenticator;
  private final Path cloudKeyFile;
  private final Function<String, Collection<X509Certificate>> certificatesOfOwner;
  private final ExecutorService background = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "image-cache");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param certificatesOfOwner the certificates ever issued to the user with that S3 canonical id
   */
  public ImageService(BundleObjects bundles, ImageCache cache, NodeRequestAuthenticator authenticator, Path cloudKeyFile,
      Function<String, Collection<X509Certificate>> certificatesOfOwner) {
    this.bundles = bundles;
    this.cache = cache;
    this.authenticator = authenticator;
    this.cloudKeyFile = cloudKeyFile;
    this.certificatesOfOwner = certificatesOfOwner;
  }

  public ImageCache cache() {
    return cache;
  }

  public void handle(S3Call call) throws S3Exception, IOException {
    String header = call.header(OPERATION_HEADER);
    String op = header == null ? "GetManifest" : header.trim();
    authenticator.authenticate(call.req);
    String bucket = call.target.bucket();
    String key = call.target.key();
    if (bucket == null || key == null) {
      throw new S3Exception(400, "InvalidRequest", op + " needs the manifest's path: /services/Walrus/BUCKET/MANIFEST");
    }
    switch (op) {
      case "GetManifest" -> getManifest(call, bucket, key);
      case "GetDecryptedImage" -> getDecryptedImage(call, bucket, key);
      case "CheckImage" -> checkImage(call, bucket, key);
      case "CacheImage" -> cacheImage(call, bucket, key);
      case "FlushCachedImage" -> flush(call, bucket, key);
      default -> throw new S3Exception(400, "InvalidRequest", "unknown EucaOperation " + op);
    }
  }

  private void getDecryptedImage(S3Call call, String bucket, String key) throws S3Exception, IOException {
    ImageCache.Lookup image = decrypted(bucket, key);
    boolean gzip = "true".equalsIgnoreCase(call.q("IsCompressed"));
    LOG.info("GetDecryptedImage {}/{}: {} ({} bytes{})", bucket, key, image.outcome(), image.size(), gzip ? ", gzipped" : "");
    call.resp.setStatus(200);
    call.resp.setHeader("Content-Type", "application/octet-stream");
    call.resp.setHeader("x-euca-image-cache", image.outcome().name().toLowerCase());
    call.resp.setHeader("x-euca-image-size", Long.toString(image.size()));
    if (!gzip) {
      call.resp.setContentLengthLong(image.size());
    }
    if (call.req.getMethod().equals("HEAD")) {
      return;
    }
    try (InputStream in = Files.newInputStream(image.file()); OutputStream raw = call.resp.getOutputStream()) {
      if (gzip) {
        GZIPOutputStream z = new GZIPOutputStream(raw, 1 << 16) {
          {
            def.setLevel(Deflater.BEST_SPEED);
          }
        };
        in.transferTo(z);
        z.finish();
      } else {
        in.transferTo(raw);
      }
    }
  }

  /** The NC's first step (1.5.2 get_cached_file): a plain GET of the manifest, signed with the node key. */
  private void getManifest(S3Call call, String bucket, String key) throws S3Exception, IOException {
    if (!call.req.getMethod().equals("GET") && !call.req.getMethod().equals("HEAD")) {
      throw new S3Exception(405, "MethodNotAllowed", "the node certificate may only read manifests");
    }
    BundleObjects.StoredManifest m = bundles.manifest(bucket, key, Optional.empty(), false);
    call.resp.setStatus(200);
    call.resp.setHeader("Content-Type", "application/xml");
    call.resp.setHeader("ETag", "\"" + m.etag() + "\"");
    call.resp.setContentLengthLong(m.bytes().length);
    if (call.req.getMethod().equals("GET")) {
      try (OutputStream out = call.resp.getOutputStream()) {
        out.write(m.bytes());
      }
    }
  }

  private void checkImage(S3Call call, String bucket, String key) throws S3Exception, IOException {
    BundleObjects.StoredManifest m = bundles.manifest(bucket, key, Optional.empty(), false);
    String name = cacheName(m);
    call.xml(200, XmlOut.document("CheckImageResponse").leaf("cached", cache.contains(name))
        .leaf("decrypting", cache.decrypting(name)).end("CheckImageResponse"));
  }

  private void cacheImage(S3Call call, String bucket, String key) throws S3Exception, IOException {
    bundles.manifest(bucket, key, Optional.empty(), false); // 404 now rather than in the background
    background.submit(() -> {
      try {
        decrypted(bucket, key);
      } catch (Exception e) {
        LOG.warn("CacheImage {}/{}: {}", bucket, key, e.getMessage());
      }
    });
    call.xml(200, XmlOut.document("CacheImageResponse").leaf("return", true).end("CacheImageResponse"));
  }

  private void flush(S3Call call, String bucket, String key) throws IOException {
    int n = cache.flush(originPrefix(bucket, key));
    LOG.info("FlushCachedImage {}/{}: {} cached copy(ies) removed", bucket, key, n);
    call.xml(200, XmlOut.document("FlushCachedImageResponse").leaf("return", true).end("FlushCachedImageResponse"));
  }

  /** The decrypted image of the manifest at bucket/key, from the cache or decrypted now. */
  public ImageCache.Lookup decrypted(String bucket, String key) throws S3Exception, IOException {
    BundleObjects.StoredManifest stored = bundles.manifest(bucket, key, Optional.empty(), false);
    try {
      return cache.get(cacheName(stored), bucket + "/" + key, out -> {
        ImageManifest manifest = ManifestParser.parse(stored.bytes());
        ManifestSignatureVerifier.verify(manifest, certificatesOfOwner.apply(stored.ownerCanonicalId()));
        new BundleDecryptor(cloudKey()).decrypt(manifest, bundles.parts(bucket, key), out, false);
      });
    } catch (ImageBundleException e) {
      LOG.warn("image {}/{} refused: {} {}", bucket, key, e.reason(), e.getMessage());
      throw refusal(e);
    }
  }

  private PrivateKey cloudKey() throws IOException {
    return Pem.readPrivateKey(cloudKeyFile);
  }

  /** The S3 error a node sees for a bundle that cannot be trusted or decrypted. */
  static S3Exception refusal(ImageBundleException e) {
    String code = switch (e.reason()) {
      case BAD_MANIFEST, SIGNATURE_MISMATCH -> "InvalidManifest";
      case KEY_DECRYPTION_FAILED -> "DecryptionFailed";
      default -> "CorruptBundle";
    };
    return new S3Exception(400, code, e.reason() + ": " + e.getMessage());
  }

  /** sha256(bucket/key) + "-" + the first 16 hex digits of sha256(manifest): a changed manifest is a new image. */
  static String cacheName(BundleObjects.StoredManifest m) {
    return originPrefix(m.bucket(), m.key()) + HexFormat.of().formatHex(sha256(m.bytes())).substring(0, 16);
  }

  static String originPrefix(String bucket, String key) {
    return HexFormat.of().formatHex(sha256((bucket + "/" + key).getBytes(StandardCharsets.UTF_8))) + "-";
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
