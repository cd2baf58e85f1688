package com.eucalyptus.clc.walrus;

import com.eucalyptus.clc.accounts.Accounts;
import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.clc.properties.SystemProperties;
import com.eucalyptus.walrus.Walrus;
import com.eucalyptus.walrus.WalrusSettings;
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
    WalrusSettings settings = new WalrusSettings(Path.of(properties.get(SystemProperties.WALRUS_PATH)),
        () -> properties.get(SystemProperties.DNS_DOMAIN),
        () -> (int) number(properties, SystemProperties.WALRUS_MAX_BUCKETS, 5),
        () -> number(properties, SystemProperties.WALRUS_MAX_BUCKET_SIZE, 5120));
    return new Walrus(settings, db, users, authenticator(users, properties));
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
