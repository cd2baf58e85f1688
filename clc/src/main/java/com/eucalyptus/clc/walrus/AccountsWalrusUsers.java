package com.eucalyptus.clc.walrus;

import com.eucalyptus.clc.accounts.Accounts;
import com.eucalyptus.walrus.auth.WalrusUser;
import com.eucalyptus.walrus.auth.WalrusUsers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The CLC's accounts as Walrus sees them: enabled users only (asked on every request, so disabling
 * a user locks their keys out at once). The S3 canonical id is the hex SHA-256 of the user name:
 * stable, 64 hex characters like S3's, and no new column.
 */
public final class AccountsWalrusUsers implements WalrusUsers {
  private final Accounts accounts;

  public AccountsWalrusUsers(Accounts accounts) {
    this.accounts = accounts;
  }

  public static String canonicalId(String userName) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(userName.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Optional<WalrusUser> enabled(Optional<Accounts.User> u) {
    return u.filter(Accounts.User::enabled).map(AccountsWalrusUsers::walrusUser);
  }

  private static WalrusUser walrusUser(Accounts.User a) {
    return new WalrusUser(a.name(), canonicalId(a.name()), a.email(), a.admin(), a.accessKey(), a.secretKey());
  }

  @Override
  public Optional<WalrusUser> byAccessKey(String accessKey) {
    return accessKey == null ? Optional.empty() : enabled(accounts.findByAccessKey(accessKey));
  }

  /** A refused holder makes Walrus answer AccessDenied with these words (the EC2 API AuthFailure). */
  @Override
  public Optional<KeyHolder> holderOf(String accessKey) {
    return accounts.findByAccessKey(accessKey).map(a -> new KeyHolder(walrusUser(a), a.enabled() ? null
        : accounts.refusal(accessKey).map(r -> switch (r) {
          case DISABLED -> "is disabled";
          case NOT_CONFIRMED -> "is not active yet: it must be approved and confirmed";
        }).orElse("is not active")));
  }

  @Override
  public Optional<WalrusUser> byName(String name) {
    return name == null ? Optional.empty() : enabled(accounts.find(name));
  }

  @Override
  public Optional<WalrusUser> byCanonicalId(String canonicalId) {
    if (canonicalId == null) {
      return Optional.empty();
    }
    return enabled(accounts.list().stream().filter(u -> canonicalId(u.name()).equals(canonicalId)).findFirst());
  }

  @Override
  public Optional<WalrusUser> byEmail(String email) {
    if (email == null || email.isBlank()) {
      return Optional.empty();
    }
    return enabled(accounts.list().stream().filter(u -> email.equalsIgnoreCase(u.email())).findFirst());
  }
}
