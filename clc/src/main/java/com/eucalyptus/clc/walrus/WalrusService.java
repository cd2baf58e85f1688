package com.eucalyptus.clc.walrus;

import com.eucalyptus.clc.accounts.Accounts;
import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.clc.properties.SystemProperties;
import com.eucalyptus.walrus.Walrus;
import com.eucalyptus.walrus.WalrusSettings;
import com.eucalyptus.clc.images.UserCertificates;
import com.eucalyptus.walrus.imagecache.ImageCache;
import com.eucalyptus.walrus.imagecache.ImageService;
import com.eucalyptus.walrus.imagecache.NodeRequestAuthenticator;
import java.util.List;
import com.eucalyptus.walrus.auth.S3Authenticator;
import com.eucalyptus.walrus.auth.SignatureAuthenticator;
import com.eucalyptus.walrus.auth.WalrusUsers;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Builds Walrus from the CLC's parts: its database (transactions and entities), accounts (as
 * WalrusUsers), system properties (Walrus path, DNS domain, limits) and the S3 authenticator.
 */
public final class WalrusService {
  private WalrusService() {}

  public static Walrus create(Database db, Accounts accounts, SystemProperties properties) throws IOException {
    WalrusUsers users = new AccountsWalrusUsers(accounts);
    accounts.addDeletionCheck(new NonEmptyBucketsCheck(db));
    WalrusSettings settings = new WalrusSettings(Path.of(properties.get(SystemProperties.WALRUS_PATH)),
        () -> properties.get(SystemProperties.DNS_DOMAIN),
        () -> (int) number(properties, SystemProperties.WALRUS_MAX_BUCKETS, 5),
        () -> number(properties, SystemProperties.WALRUS_MAX_BUCKET_SIZE, 5120));
    return new Walrus(settings, db, users, authenticator(users, properties));
  }

  /**
   * Lets the NCs fetch decrypted images (GetDecryptedImage etc., see walrus/imagecache): cached
   * under the Walrus path in imagecache/, within walrus.image.cache.size.mb; decrypted with
   * keys/cloud-pk.pem; requests signed with keys/node-cert.pem's key; manifests checked against
   * the certificates of the manifest object's owner.
   */
  public static void serveImages(Walrus walrus, Database db, Accounts accounts, SystemProperties properties, Path keysDir)
      throws IOException {
    ImageCache cache = new ImageCache(Path.of(properties.get(SystemProperties.WALRUS_PATH)).resolve("imagecache"),
        () -> number(properties, SystemProperties.IMAGE_CACHE_SIZE, 30720) * 1024 * 1024);
    UserCertificates certificates = new UserCertificates(db);
    WalrusUsers users = new AccountsWalrusUsers(accounts);
    walrus.serveImages(new ImageService(walrus.bundles(), cache,
        new NodeRequestAuthenticator(keysDir.resolve("node-cert.pem"), Clock.systemUTC()), keysDir.resolve("cloud-pk.pem"),
        owner -> users.byCanonicalId(owner).map(u -> certificates.of(u.name())).orElse(List.of())));
  }

  private static S3Authenticator authenticator(WalrusUsers users, SystemProperties properties) {
    return new SignatureAuthenticator(users, Clock.systemUTC(), properties.get(SystemProperties.REGION));
  }

  private static long number(SystemProperties properties, String name, long fallback) {
    try {
      return Long.parseLong(properties.get(name).trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
