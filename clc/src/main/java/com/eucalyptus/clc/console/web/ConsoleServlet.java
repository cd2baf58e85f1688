package com.eucalyptus.clc.console.web;

import com.eucalyptus.clc.accounts.AccountRefused;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The console's one servlet: finds the route, enforces login, the first-time setup, the admin
 * check and the CSRF token of every POST, then lets the page do its work. A refused form is shown
 * again with the reason and nothing changed.
 */
public final class ConsoleServlet extends HttpServlet {
  private static final Logger LOG = LogManager.getLogger(ConsoleServlet.class);
  public static final String CSRF_REFUSED =
      "This form has expired or did not come from this site. Nothing was changed; please try again.";
  private static final Set<String> ALLOWED_DURING_SETUP = Set.of("/setup", "/logout", "/style.css");
  private final Routes routes;
  private final Sessions sessions;
  /** Whether a logged-in user may still use the console (exists, enabled, confirmed): checked on every request. */
  private final Predicate<String> stillActive;

  public ConsoleServlet(Routes routes, Sessions sessions, Predicate<String> stillActive) {
    this.routes = routes;
    this.sessions = sessions;
    this.stillActive = stillActive;
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    req.setCharacterEncoding("UTF-8");
    resp.setHeader("X-Frame-Options", "DENY");
    resp.setHeader("X-Content-Type-Options", "nosniff");
    // mailed codes are in URLs: never send them on as a Referer
    resp.setHeader("Referrer-Policy", "no-referrer");
    resp.setHeader("Content-Security-Policy",
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'");
    resp.setHeader("Strict-Transport-Security", "max-age=31536000");
    Exchange x = new Exchange(req, resp, sessions);
    try {
      dispatch(x);
    } catch (AccountRefused e) {
      x.refuse(400, "Error", e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("console: {} {} failed: {}", req.getMethod(), req.getRequestURI(), e.toString(), e);
      if (!resp.isCommitted()) {
        resp.reset();
        x.refuse(500, "Error", "Something went wrong on the server; the administrator finds the details in cloud-error.log.");
      }
    }
  }

  private void dispatch(Exchange x) throws IOException {
    String method = x.req.getMethod();
    String path = x.req.getRequestURI();
    if ("/style.css".equals(path) && "GET".equals(method)) {
      x.send(200, "text/css; charset=UTF-8", Layout.CSS.getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (!"GET".equals(method) && !"POST".equals(method)) {
      x.resp.setHeader("Allow", "GET, POST");
      x.refuse(405, "Error", "Only GET and POST are used here.");
      return;
    }
    Session s = x.existingSession();
    if (s != null && s.loggedIn() && (s.revoked() || !stillActive.test(s.user()))) {
      sessions.end(s);
      x.useSession(sessions.create());
      x.redirect("/login", Message.error("Your account is no longer active; you were logged out."));
      return;
    }
    if ("GET".equals(method) && "/".equals(path) && x.req.getParameter("action") != null) {
      Routes.Handler h = routes.rootAction(x.req.getParameter("action"));
      if (h == null) {
        x.refuse(404, "Error", "No such page.");
      } else {
        x.session();
        h.handle(x);
      }
      return;
    }
    Routes.Route route = routes.find(method, path);
    if (route == null) {
      x.refuse(404, "Error", "No such page.");
      return;
    }
    if (route.access() != Routes.Access.ANYONE) {
      if (s == null || !s.loggedIn()) {
        x.redirect("/login", Message.info("Please log in."));
        return;
      }
      if (s.setupNeeded() && !ALLOWED_DURING_SETUP.contains(path)) {
        x.redirect("/setup", null);
        return;
      }
      if (route.access() == Routes.Access.ADMIN && !s.admin()) {
        LOG.warn("console: user {} refused admin page {} {}", s.user(), method, path);
        x.refuse(403, "Not allowed", "Only an administrator may open this page.");
        return;
      }
    }
    if ("POST".equals(method)) {
      if (s == null || !sameToken(s.csrf, x.req.getParameter("csrf"))) {
        LOG.info("console: {} {} refused: missing or wrong CSRF token", method, path);
        x.session();
        x.status(403);
        x.error(CSRF_REFUSED);
        route.formPage().handle(x);
        return;
      }
      try {
        route.handler().handle(x);
      } catch (AccountRefused e) {
        x.error(e.getMessage());
        route.formPage().handle(x);
      }
      return;
    }
    x.session();
    route.handler().handle(x);
  }

  private static boolean sameToken(String expected, String given) {
    return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        given.getBytes(StandardCharsets.US_ASCII));
  }
}
