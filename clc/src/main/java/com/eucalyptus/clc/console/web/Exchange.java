package com.eucalyptus.clc.console.web;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** One request and its answer, with the session, the page's message and the status to send. */
public final class Exchange {
  public final HttpServletRequest req;
  public final HttpServletResponse resp;
  private final Sessions sessions;
  private Session session;
  private Message message;
  private int status = 200;

  Exchange(HttpServletRequest req, HttpServletResponse resp, Sessions sessions) {
    this.req = req;
    this.resp = resp;
    this.sessions = sessions;
    String id = null;
    if (req.getCookies() != null) {
      for (Cookie c : req.getCookies()) {
        if (Sessions.COOKIE.equals(c.getName())) {
          id = c.getValue();
        }
      }
    }
    this.session = sessions.find(id);
  }

  /** The session the browser sent, or null (use {@link #session()} to make one). */
  public Session existingSession() {
    return session;
  }

  /** The browser's session, made (anonymous) if it has none. */
  public Session session() {
    if (session == null) {
      useSession(sessions.create());
    }
    return session;
  }

  public Sessions sessions() {
    return sessions;
  }

  /** Switches this browser to {@code s} (after login or logout). */
  public void useSession(Session s) {
    session = s;
    // Secure: HTTPS only; HttpOnly: no script may read it; SameSite=Lax: not sent on cross-site POSTs
    resp.addHeader("Set-Cookie", Sessions.COOKIE + "=" + s.id + "; Path=/; Secure; HttpOnly; SameSite=Lax");
  }

  public String user() {
    return session == null ? null : session.user();
  }

  public boolean posted() {
    return "POST".equals(req.getMethod());
  }

  /** A request parameter, "" when absent. */
  public String param(String name) {
    String v = req.getParameter(name);
    return v == null ? "" : v;
  }

  /** What the user just posted for a field, else {@code stored} (forms keep their input when refused). */
  public String valueOr(String name, String stored) {
    return posted() && req.getParameter(name) != null ? req.getParameter(name) : stored;
  }

  public String clientAddress() {
    return req.getRemoteAddr();
  }

  public void error(String text) {
    message = Message.error(text);
  }

  public void info(String text) {
    message = Message.info(text);
  }

  public void status(int status) {
    this.status = status;
  }

  /** The message to show: one set while handling this request, else the one left by the last. */
  Message message() {
    if (message == null && session != null) {
      message = session.takeFlash();
    }
    return message;
  }

  /** 303 to {@code path}, carrying {@code flash} to that page. */
  public void redirect(String path, Message flash) throws IOException {
    if (flash != null) {
      session().flash(flash);
    }
    resp.setStatus(303);
    resp.setHeader("Location", path);
    resp.setHeader("Cache-Control", "no-store");
  }

  /** Sends a whole page. */
  public void render(String title, String tab, String body) throws IOException {
    send(status, "text/html; charset=UTF-8", Layout.page(this, title, tab, body).getBytes(StandardCharsets.UTF_8));
  }

  /** Sends a page that only says {@code text} as an error. */
  public void refuse(int status, String title, String text) throws IOException {
    this.status = status;
    error(text);
    render(title, null, "");
  }

  public void send(int status, String contentType, byte[] body) throws IOException {
    resp.setStatus(status);
    resp.setContentType(contentType);
    resp.setHeader("Cache-Control", "no-store");
    resp.setContentLength(body.length);
    resp.getOutputStream().write(body);
  }
}
