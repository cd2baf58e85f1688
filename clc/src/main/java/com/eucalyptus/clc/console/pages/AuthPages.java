package com.eucalyptus.clc.console.pages;

import com.eucalyptus.clc.accounts.Account;
import com.eucalyptus.clc.accounts.AccountLifecycle;
import com.eucalyptus.clc.accounts.AccountRefused;
import com.eucalyptus.clc.accounts.WalrusUrl;
import com.eucalyptus.clc.console.ConsoleServices;
import com.eucalyptus.clc.console.web.Exchange;
import com.eucalyptus.clc.console.web.Html;
import com.eucalyptus.clc.console.web.Message;
import com.eucalyptus.clc.console.web.Routes;
import com.eucalyptus.clc.console.web.Routes.Access;
import com.eucalyptus.clc.console.web.Session;
import java.io.IOException;

/** Logging in and out, the administrator's first-time setup, and confirming an approved account. */
public final class AuthPages {
  private final ConsoleServices c;

  public AuthPages(ConsoleServices c) {
    this.c = c;
  }

  public void register(Routes r) {
    r.get("/", Access.ANYONE, this::root);
    r.get("/login", Access.ANYONE, this::loginPage);
    r.post("/login", Access.ANYONE, this::login, this::loginPage);
    r.post("/logout", Access.USER, this::logout, this::loginPage);
    r.get("/setup", Access.ADMIN, this::setupPage);
    r.post("/setup", Access.ADMIN, this::setup, this::setupPage);
    r.rootAction("confirm", this::confirmPage);
    r.post("/confirm", Access.ANYONE, this::confirm, this::confirmPage);
  }

  private void root(Exchange x) throws IOException {
    Session s = x.existingSession();
    if (s != null && s.loggedIn()) {
      x.redirect(s.setupNeeded() ? "/setup" : "/credentials", null);
    } else {
      loginPage(x);
    }
  }

  private void loginPage(Exchange x) throws IOException {
    Session s = x.session();
    String inner = Html.field("Username:", "text", "username", x.valueOr("username", ""), true)
        + Html.field("Password:", "password", "password", "", true) + Html.submit("login-submit", "Sign in");
    String body = "<p>Please, sign in:</p>" + Html.form("login-form", "/login", s.csrf, inner);
    if (c.lifecycle().signUpOpen()) {
      body += "<p><a id=\"apply-link\" href=\"/apply\">Apply</a> for account | "
          + "<a id=\"recover-link\" href=\"/recover\">Recover</a> password</p>";
    }
    x.render("Login", null, body);
  }

  private void login(Exchange x) throws IOException {
    String user = x.param("username").strip();
    String password = x.param("password");
    if (!passesThrottle(x, user)) {
      loginPage(x);
      return;
    }
    switch (c.lifecycle().login(user, password)) {
      case WRONG -> {
        c.throttle().failed(user, x.clientAddress());
        x.error("Wrong user name or password.");
        loginPage(x);
      }
      case NOT_CONFIRMED -> {
        x.error("Your account is not active yet: it must be approved, and then confirmed with the link mailed to you.");
        loginPage(x);
      }
      case DISABLED -> {
        x.error("Your account is disabled; please contact the administrator.");
        loginPage(x);
      }
      case OK -> {
        c.throttle().succeeded(user);
        Account a = c.lifecycle().find(user).orElseThrow();
        boolean setup = c.lifecycle().setupNeeded(user, password);
        x.useSession(c.sessions().logIn(x.existingSession(), user, a.admin(), setup));
        x.redirect(setup ? "/setup" : "/credentials", null);
      }
    }
  }

  /** False (with the message set) when this user or address must wait after failed attempts. */
  private boolean passesThrottle(Exchange x, String user) {
    long wait = c.throttle().secondsToWait(user, x.clientAddress());
    if (wait > 0) {
      x.status(429);
      x.error("Too many failed sign-ins. Wait " + wait + " seconds and try again.");
      return false;
    }
    return true;
  }

  private void logout(Exchange x) throws IOException {
    c.sessions().end(x.existingSession());
    x.useSession(c.sessions().create());
    x.redirect("/login", Message.info("You are logged out."));
  }

  private void setupPage(Exchange x) throws IOException {
    Session s = x.session();
    if (!s.setupNeeded()) {
      x.redirect("/configuration", null);
      return;
    }
    String walrus = "http://" + x.req.getServerName() + ":" + c.cloudPort() + WalrusUrl.PATH;
    String inner = "<p>Before the cloud can be used, please complete these first-time tasks.</p>"
        + "<fieldset><legend>1. Change the admin password</legend>"
        + Html.field("New password:", "password", "password", "", true)
        + Html.field("New password, again:", "password", "password2", "", true) + "</fieldset>"
        + "<fieldset><legend>2. The administrator's e-mail address (applications are sent there)</legend>"
        + Html.field("E-mail address:", "email", "email", x.valueOr("email", ""), true) + "</fieldset>"
        + "<fieldset><legend>3. Confirm the URL of Walrus (it should start with this front end's host name or address)</legend>"
        + Html.field("Walrus URL:", "text", "walrusUrl", x.valueOr("walrusUrl", walrus), true) + "</fieldset>"
        + Html.submit("setup-submit", "Save");
    x.render("First-time setup", null, Html.form("setup-form", "/setup", s.csrf, inner));
  }

  private void setup(Exchange x) throws IOException {
    Session s = x.existingSession();
    if (!s.setupNeeded()) {
      x.redirect("/configuration", null);
      return;
    }
    c.lifecycle().completeSetup(s.user(), x.param("password"), x.param("password2"), x.param("email"),
        x.param("walrusUrl"));
    s.setupDone();
    x.redirect("/configuration", Message.info("Setup complete."));
  }

  private void confirmPage(Exchange x) throws IOException {
    Session s = x.session();
    String code = x.param("code");
    if (!x.posted() && !c.lifecycle().confirmCodeValid(code)) {
      x.refuse(404, "Confirm your account", "This link is not valid (unknown, used or expired).");
      return;
    }
    String inner = Html.hidden("code", code)
        + "<p>Please log in with the user name and password that you chose when signing up, to confirm your account.</p>"
        + Html.field("Username:", "text", "username", x.valueOr("username", ""), true)
        + Html.field("Password:", "password", "password", "", true) + Html.submit("confirm-submit", "Confirm");
    x.render("Confirm your account", null, Html.form("confirm-form", "/confirm", s.csrf, inner));
  }

  private void confirm(Exchange x) throws IOException {
    String user = x.param("username").strip();
    if (!passesThrottle(x, user)) {
      confirmPage(x);
      return;
    }
    Account a;
    try {
      a = c.lifecycle().confirm(x.param("code"), user, x.param("password"));
    } catch (AccountRefused e) {
      c.throttle().failed(user, x.clientAddress());
      throw e;
    }
    c.throttle().succeeded(user);
    if (a.status() != Account.Status.ACTIVE) {
      x.redirect("/login", Message.error("Your account is confirmed but disabled; please contact the administrator."));
      return;
    }
    x.useSession(c.sessions().logIn(x.existingSession(), user, a.admin(), false));
    x.redirect("/credentials", Message.info("Your account is now active."));
  }
}
