package com.eucalyptus.clc.console.pages;

import com.eucalyptus.clc.accounts.Account;
import com.eucalyptus.clc.accounts.AccountLifecycle;
import com.eucalyptus.clc.accounts.OneTimeCodes.Purpose;
import com.eucalyptus.clc.console.ConsoleServices;
import com.eucalyptus.clc.console.web.Exchange;
import com.eucalyptus.clc.console.web.Html;
import com.eucalyptus.clc.console.web.Message;
import com.eucalyptus.clc.console.web.Routes;
import com.eucalyptus.clc.console.web.Routes.Access;
import com.eucalyptus.clc.console.web.Session;
import java.io.IOException;
import java.util.Optional;

/**
 * Applying for an account, the administrator's mailed accept/reject links, and password
 * recovery by mail. The mailed code is the authority for those links, so they need no login.
 */
public final class SignupPages {
  static final String INVALID_LINK = "This link is not valid (unknown, used or expired).";
  private final ConsoleServices c;

  public SignupPages(ConsoleServices c) {
    this.c = c;
  }

  public void register(Routes r) {
    r.get("/apply", Access.ANYONE, this::applyPage);
    r.post("/apply", Access.ANYONE, this::apply, this::applyPage);
    r.rootAction("approve", x -> decisionPage(x, Purpose.APPROVE));
    r.rootAction("reject", x -> decisionPage(x, Purpose.REJECT));
    r.post("/approve", Access.ANYONE, this::approve, x -> decisionPage(x, Purpose.APPROVE));
    r.post("/reject", Access.ANYONE, this::reject, x -> decisionPage(x, Purpose.REJECT));
    r.get("/recover", Access.ANYONE, this::recoverPage);
    r.post("/recover", Access.ANYONE, this::recover, this::recoverPage);
    r.rootAction("recover", this::resetPage);
    r.post("/reset", Access.ANYONE, this::reset, this::resetPage);
  }

  private void applyPage(Exchange x) throws IOException {
    if (!c.lifecycle().signUpOpen()) {
      x.refuse(404, "Apply for account", "Applications are not open yet: the administrator has not finished the setup.");
      return;
    }
    String body = "<p>Please, fill out the form. The more information you supply, the easier it may be for the"
        + " administrator to decide.</p>"
        + Html.form("apply-form", "/apply", x.session().csrf, AccountFields.application(x) + Html.submit("apply-submit", "Apply"))
        + "<p><a id=\"login-link\" href=\"/login\">Back to the login page</a></p>";
    x.render("Apply for account", null, body);
  }

  private void apply(Exchange x) throws IOException {
    Optional<String> mailProblem = c.lifecycle().apply(AccountFields.read(x), c.consoleBase(x));
    x.redirect("/login", mailProblem.isEmpty()
        ? Message.info("Thank you. Your application was sent to the administrator; you will get an e-mail when it is"
            + " decided.")
        : Message.error("Your application was stored, but the e-mail to the administrator could not be sent ("
            + mailProblem.get() + "). Please tell the administrator."));
  }

  private void decisionPage(Exchange x, Purpose purpose) throws IOException {
    Optional<Account> a = c.lifecycle().applicationFor(x.param("code"), purpose);
    if (a.isEmpty()) {
      x.refuse(404, "Account application", INVALID_LINK);
      return;
    }
    boolean approve = purpose == Purpose.APPROVE;
    String what = approve ? "approve" : "reject";
    String body = "<p>" + (approve ? "Accept" : "Reject") + " this application? Nobody has checked who sent it; the"
        + " account only becomes active if the applicant can read mail at the address given and knows the password.</p>"
        + AccountFields.table("application", a.get())
        + Html.form(what + "-form", "/" + what, x.session().csrf,
            Html.hidden("code", x.param("code")) + Html.submit(what + "-submit", approve ? "Approve" : "Reject"));
    x.render("Account application of " + a.get().name(), null, body);
  }

  private void approve(Exchange x) throws IOException {
    AccountLifecycle.Decision d = c.lifecycle().approve(x.param("code"), c.consoleBase(x));
    afterDecision(x, d.mailProblem().isEmpty()
        ? Message.info("User " + d.user() + " was approved; a confirmation link was mailed to them.")
        : Message.error("User " + d.user() + " was approved, but the e-mail could not be sent (" + d.mailProblem().get()
            + ")."));
  }

  private void reject(Exchange x) throws IOException {
    AccountLifecycle.Decision d = c.lifecycle().reject(x.param("code"));
    afterDecision(x, d.mailProblem().isEmpty() ? Message.info("The application of " + d.user() + " was rejected.")
        : Message.error("The application of " + d.user() + " was rejected, but the e-mail could not be sent ("
            + d.mailProblem().get() + ")."));
  }

  private void afterDecision(Exchange x, Message m) throws IOException {
    Session s = x.existingSession();
    x.redirect(s != null && s.loggedIn() && s.admin() ? "/users" : "/login", m);
  }

  private void recoverPage(Exchange x) throws IOException {
    String inner = "<p>Give your user name and the e-mail address of your account; a link to set a new password will"
        + " be mailed to that address.</p>"
        + Html.field("Username:", "text", "username", x.valueOr("username", ""), true)
        + Html.field("Email address:", "email", "email", x.valueOr("email", ""), true)
        + Html.submit("recover-submit", "Send");
    x.render("Recover password", null, Html.form("recover-form", "/recover", x.session().csrf, inner));
  }

  private void recover(Exchange x) throws IOException {
    Optional<String> mailProblem = c.lifecycle().requestRecovery(x.param("username"), x.param("email"), c.consoleBase(x));
    x.redirect("/login", mailProblem.isEmpty()
        ? Message.info("If the user name and e-mail address match an account, a message with a link to set a new"
            + " password was sent.")
        : Message.error("The e-mail could not be sent (" + mailProblem.get() + "). Tell the administrator."));
  }

  private void resetPage(Exchange x) throws IOException {
    Optional<String> user = c.lifecycle().recoveryUser(x.param("code"));
    if (user.isEmpty()) {
      x.refuse(404, "Set a new password", INVALID_LINK);
      return;
    }
    String inner = Html.hidden("code", x.param("code")) + "<p>New password for <b>" + Html.e(user.get()) + "</b>:</p>"
        + Html.field("New password:", "password", "password", "", true)
        + Html.field("New password, again:", "password", "password2", "", true) + Html.submit("reset-submit", "Save");
    x.render("Set a new password", null, Html.form("reset-form", "/reset", x.session().csrf, inner));
  }

  private void reset(Exchange x) throws IOException {
    String user = c.lifecycle().resetPassword(x.param("code"), x.param("password"), x.param("password2"));
    c.sessions().endAllOf(user);
    x.redirect("/login", Message.info("Your password was changed; please log in."));
  }
}
