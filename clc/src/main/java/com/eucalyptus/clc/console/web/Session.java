package com.eucalyptus.clc.console.web;

/** One browser's state: who is logged in (if anyone), its CSRF token, and a message for the next page. */
public final class Session {
  public final String id;
  public final String csrf;
  volatile long lastSeenMillis;
  private volatile String user;
  private volatile boolean admin;
  private volatile boolean setupNeeded;
  private volatile Message flash;
  private volatile boolean revoked;

  Session(String id, String csrf, long now) {
    this.id = id;
    this.csrf = csrf;
    this.lastSeenMillis = now;
  }

  public String user() {
    return user;
  }

  public boolean admin() {
    return admin;
  }

  public boolean loggedIn() {
    return user != null;
  }

  public boolean setupNeeded() {
    return setupNeeded;
  }

  public void setupDone() {
    setupNeeded = false;
  }

  void logIn(String user, boolean admin, boolean setupNeeded) {
    this.user = user;
    this.admin = admin;
    this.setupNeeded = setupNeeded;
  }

  /** The administrator disabled or deleted this session's user: its next request logs it out, saying so. */
  void revoke() {
    revoked = true;
  }

  public boolean revoked() {
    return revoked;
  }

  public void flash(Message m) {
    flash = m;
  }

  /** The message left for this page, once. */
  public Message takeFlash() {
    Message m = flash;
    flash = null;
    return m;
  }
}
