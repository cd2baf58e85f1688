package com.eucalyptus.clc.console.web;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's sessions, in memory (a restart logs everybody out). Ids and CSRF tokens are 256
 * random bits; a session ends after an hour without requests. Logging in replaces the session
 * (new id, new token), so an id planted before login is worth nothing after it.
 */
public final class Sessions {
  public static final String COOKIE = "EUCASESSION";
  static final Duration IDLE = Duration.ofMinutes(60);
  private static final int PURGE_ABOVE = 1000;
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Map<String, Session> byId = new ConcurrentHashMap<>();
  private final Clock clock;

  public Sessions(Clock clock) {
    this.clock = clock;
  }

  /** The live session with this id, touched; null if none. */
  public Session find(String id) {
    if (id == null) {
      return null;
    }
    Session s = byId.get(id);
    long now = clock.millis();
    if (s == null) {
      return null;
    }
    if (now - s.lastSeenMillis > IDLE.toMillis()) {
      byId.remove(id);
      return null;
    }
    s.lastSeenMillis = now;
    return s;
  }

  /** A new anonymous session. */
  public Session create() {
    long now = clock.millis();
    if (byId.size() > PURGE_ABOVE) {
      byId.values().removeIf(s -> now - s.lastSeenMillis > IDLE.toMillis());
    }
    Session s = new Session(random(), random(), now);
    byId.put(s.id, s);
    return s;
  }

  /** Ends {@code old} and returns a new session logged in as {@code user}. */
  public Session logIn(Session old, String user, boolean admin, boolean setupNeeded) {
    if (old != null) {
      byId.remove(old.id);
    }
    Session s = create();
    s.logIn(user, admin, setupNeeded);
    return s;
  }

  public void end(Session s) {
    if (s != null) {
      byId.remove(s.id);
    }
  }

  /** Ends every session of {@code user} (after a password change: "Please log in." again). */
  public void endAllOf(String user) {
    byId.values().removeIf(s -> user.equals(s.user()));
  }

  /**
   * Marks every session of {@code user} (disabled or deleted by the administrator) so that its
   * next request ends it with "Your account is no longer active …"; also when a new user of the
   * same name exists by then.
   */
  public void revokeAllOf(String user) {
    byId.values().forEach(s -> {
      if (user.equals(s.user())) {
        s.revoke();
      }
    });
  }

  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
