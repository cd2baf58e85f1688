package com.eucalyptus.clc.images;

import com.eucalyptus.clc.accounts.Accounts;
import com.eucalyptus.clc.api.Ec2Exception;
import com.eucalyptus.clc.persistence.ImageEntity;
import com.eucalyptus.clc.walrus.AccountsWalrusUsers;
import com.eucalyptus.walrus.S3Exception;
import com.eucalyptus.walrus.images.BundleObjects;
import com.eucalyptus.walrus.images.ImageBundleException;
import com.eucalyptus.walrus.images.ImageManifest;
import com.eucalyptus.walrus.images.ManifestParser;
import com.eucalyptus.walrus.images.ManifestSignatureVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.zip.Adler32;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * RegisterImage: reads the manifest {@code bucket/key} from Walrus in-process, checks that the
 * caller may read it and that its signature verifies with a certificate ever issued to the caller,
 * decides the kind (kernel, ramdisk, machine: the manifest's {@code kernel_id}/{@code ramdisk_id}
 * of {@code true}, or its image {@code type}) and stores the image under a new id. Kernels and
 * ramdisks are the administrator's.
 */
public final class ImageRegistration {
  private static final Logger LOG = LogManager.getLogger(ImageRegistration.class);
  private final Images images;
  private final BundleObjects bundles;
  private final UserCertificates certificates;

  public ImageRegistration(Images images, BundleObjects bundles, UserCertificates certificates) {
    this.images = images;
    this.bundles = bundles;
    this.certificates = certificates;
  }

  public ImageEntity register(String location, Accounts.User caller) {
    String loc = location.replaceFirst("^/+", "");
    int slash = loc.indexOf('/');
    if (slash <= 0 || slash == loc.length() - 1) {
      throw new Ec2Exception(400, "InvalidManifest", "the image location must be BUCKET/NAME.manifest.xml, not '" + location + "'");
    }
    String bucket = loc.substring(0, slash);
    String key = loc.substring(slash + 1);
    BundleObjects.StoredManifest stored;
    try {
      stored = bundles.manifest(bucket, key, Optional.of(AccountsWalrusUsers.canonicalId(caller.name())), !caller.admin());
    } catch (S3Exception e) {
      throw switch (e.code()) {
        case "NoSuchBucket", "NoSuchKey" -> new Ec2Exception(400, "InvalidManifest", "there is no manifest at " + loc
            + " (" + e.code() + ")");
        case "AccessDenied" -> new Ec2Exception(403, "AuthFailure", "you may not read the manifest " + loc);
        default -> new Ec2Exception(400, "InvalidManifest", e.getMessage());
      };
    } catch (IOException e) {
      throw new Ec2Exception(500, "InternalError", "the manifest " + loc + " cannot be read: " + e.getMessage());
    }
    ImageManifest m;
    try {
      m = ManifestParser.parse(stored.bytes());
    } catch (ImageBundleException e) {
      throw new Ec2Exception(400, "InvalidManifest", "the manifest " + loc + " cannot be read: " + e.getMessage());
    }
    List<X509Certificate> mine = certificates.of(caller.name());
    try {
      ManifestSignatureVerifier.verify(m, mine);
    } catch (ImageBundleException e) {
      LOG.info("RegisterImage {} by {} refused: {}", loc, caller.name(), e.getMessage());
      throw new Ec2Exception(400, "InvalidManifest", "the manifest " + loc + " is not signed by " + caller.name()
          + ": its signature verifies with none of the " + mine.size() + " certificate(s) issued to " + caller.name()
          + " (changed after signing, or signed by another user)");
    }
    String kind = kind(m);
    if (!kind.equals("machine") && !caller.admin()) {
      throw new Ec2Exception(403, "UnauthorizedOperation", "only administrators may register " + kind + " images");
    }
    ImageEntity e = new ImageEntity();
    e.manifestLocation = bucket + "/" + key;
    e.owner = caller.name();
    e.kind = kind;
    e.state = "available";
    e.enabled = true;
    e.isPublic = false;
    e.architecture = m.architecture() == null || m.architecture().isBlank() ? "i386" : m.architecture().trim();
    if (kind.equals("machine")) {
      e.kernelId = imageRef(m.kernelId(), "eki-");
      e.ramdiskId = imageRef(m.ramdiskId(), "eri-");
    }
    e.productCodes = String.join(" ", m.productCodes());
    e.launchUsers = "";
    for (int attempt = 0; ; attempt++) {
      e.registeredMillis = System.currentTimeMillis();
      e.imageId = newId(prefix(kind), e.manifestLocation + attempt, e.registeredMillis);
      if (images.register(e)) {
        break;
      }
    }
    LOG.info("RegisterImage: {} {} ({}) registered by {}", e.imageId, e.manifestLocation, kind, caller.name());
    return e;
  }

  static String kind(ImageManifest m) {
    String type = m.imageType() == null ? "" : m.imageType().trim();
    if ("true".equalsIgnoreCase(trim(m.kernelId())) || type.equals("kernel")) {
      return "kernel";
    }
    if ("true".equalsIgnoreCase(trim(m.ramdiskId())) || type.equals("ramdisk")) {
      return "ramdisk";
    }
    return "machine";
  }

  private static String trim(String s) {
    return s == null ? "" : s.trim();
  }

  /** An eki-/eri- the manifest names (ec2-ami-tools may write aki-/ari-, kept as given); null otherwise. */
  private static String imageRef(String id, String prefix) {
    String v = trim(id);
    return v.isEmpty() || v.equalsIgnoreCase("true") ? null : v;
  }

  public static String prefix(String kind) {
    return switch (kind) {
      case "kernel" -> "eki-";
      case "ramdisk" -> "eri-";
      default -> "emi-";
    };
  }

  /** 1.5.2's ImageManager.generateImageId: Adler32 of the location and the time, 8 hex digits. */
  static String newId(String prefix, String location, long millis) {
    Adler32 a = new Adler32();
    a.update((location + millis).getBytes(StandardCharsets.UTF_8));
    return prefix + String.format("%08X", a.getValue());
  }
}
