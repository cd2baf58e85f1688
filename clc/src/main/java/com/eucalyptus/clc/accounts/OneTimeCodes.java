package com.eucalyptus.clc.accounts;

import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.clc.persistence.OneTimeCodeEntity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The codes in mailed links: 256 random bits as 64 hex digits, kept only as SHA-256, bound to a
 * purpose and a user, single use and with an expiry.
 */
public final class OneTimeCodes {
  /** What a code allows. */
  public enum Purpose { APPROVE, REJECT, CONFIRM, RECOVER }

  private static final Pattern CODE = Pattern.compile("[0-9a-f]{64}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Database db;
  private final Clock clock;

  public OneTimeCodes(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** A new code for {@code user}; the caller mails it. */
  public String issue(Purpose purpose, String user, Duration lifetime) {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String code = HexFormat.of().formatHex(raw);
    OneTimeCodeEntity e = new OneTimeCodeEntity();
    e.codeHash = sha256(code);
    e.purpose = purpose.name();
    e.userName = user;
    e.expiresMillis = clock.millis() + lifetime.toMillis();
    db.tx(s -> {
      s.persist(e);
      return null;
    });
    return code;
  }

  /** The user a valid, unexpired code of this purpose belongs to, without using it up. */
  public Optional<String> peek(String code, Purpose purpose) {
    return lookup(code, purpose, false);
  }

  /** As {@link #peek}, and the code cannot be used again. */
  public Optional<String> consume(String code, Purpose purpose) {
    return lookup(code, purpose, true);
  }

  /** Forgets every code of these purposes that {@code user} holds (e.g. the sibling reject code). */
  public void revoke(String user, Purpose... purposes) {
    db.tx(s -> {
      for (Purpose p : purposes) {
        s.createMutationQuery("delete from OneTimeCodeEntity where userName = :u and purpose = :p")
            .setParameter("u", user).setParameter("p", p.name()).executeUpdate();
      }
      return null;
    });
  }

  private Optional<String> lookup(String code, Purpose purpose, boolean use) {
    if (code == null || !CODE.matcher(code).matches()) {
      return Optional.empty();
    }
    long now = clock.millis();
    return db.tx(s -> {
      s.createMutationQuery("delete from OneTimeCodeEntity where expiresMillis < :now").setParameter("now", now)
          .executeUpdate();
      OneTimeCodeEntity e = s.find(OneTimeCodeEntity.class, sha256(code));
      if (e == null || !e.purpose.equals(purpose.name())) {
        return Optional.<String>empty();
      }
      if (use) {
        s.remove(e);
      }
      return Optional.of(e.userName);
    });
  }

  static String sha256(String code) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
