package com.eucalyptus.clc.console.web;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: failures are counted per user name and per client address
 * within a window; after {@code freeFailures} of them the next attempt must wait 2 s, doubling
 * with each further failure, at most 5 min. The attempt is refused before the password is even
 * checked. No thread sleeps, so a flood of attempts costs the server nothing.
 */
public final class LoginThrottle {
  static final Duration WINDOW = Duration.ofMinutes(15);
  static final Duration MAX_DELAY = Duration.ofMinutes(5);
  private final Map<String, Failures> failures = new ConcurrentHashMap<>();
  private final Clock clock;
  private final int freeFailures;

  private static final class Failures {
    int count;
    long lastMillis;
  }

  public LoginThrottle(Clock clock, int freeFailures) {
    this.clock = clock;
    this.freeFailures = freeFailures;
  }

  /** Seconds to wait before this user may try again from this address; 0 when they may now. */
  public long secondsToWait(String user, String address) {
    return Math.max(wait("user:" + user), wait("addr:" + address));
  }

  public void failed(String user, String address) {
    bump("user:" + user);
    bump("addr:" + address);
  }

  /** A successful login clears the user's count (the address keeps its own). */
  public void succeeded(String user) {
    failures.remove("user:" + user);
  }

  private long wait(String key) {
    Failures f = failures.get(key);
    long now = clock.millis();
    if (f == null) {
      return 0;
    }
    synchronized (f) {
      if (now - f.lastMillis > WINDOW.toMillis()) {
        failures.remove(key, f);
        return 0;
      }
      if (f.count < freeFailures) {
        return 0;
      }
      long delay = Math.min(MAX_DELAY.toMillis(), 2000L << Math.min(20, f.count - freeFailures));
      long left = f.lastMillis + delay - now;
      return left <= 0 ? 0 : (left + 999) / 1000;
    }
  }

  private void bump(String key) {
    long now = clock.millis();
    if (failures.size() > 100_000) {
      failures.entrySet().removeIf(e -> now - e.getValue().lastMillis > WINDOW.toMillis());
    }
    Failures f = failures.computeIfAbsent(key, k -> new Failures());
    synchronized (f) {
      if (now - f.lastMillis > WINDOW.toMillis()) {
        f.count = 0;
      }
      f.count++;
      f.lastMillis = now;
    }
  }
}
