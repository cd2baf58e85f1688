package com.eucalyptus.clc.console.pages;

import com.eucalyptus.clc.accounts.Account;
import com.eucalyptus.clc.accounts.AccountRefused;
import com.eucalyptus.clc.console.ConsoleServices;
import com.eucalyptus.clc.console.web.Exchange;
import com.eucalyptus.clc.console.web.Html;
import com.eucalyptus.clc.console.web.Message;
import com.eucalyptus.clc.console.web.Routes;
import com.eucalyptus.clc.console.web.Routes.Access;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** The administrator's Users tab: add, approve/reject, disable/enable, delete (after a confirmation step). */
public final class UsersPages {
  private final ConsoleServices c;

  public UsersPages(ConsoleServices c) {
    this.c = c;
  }

  public void register(Routes r) {
    r.get("/users", Access.ADMIN, this::page);
    r.get("/users/add", Access.ADMIN, this::addPage);
    r.post("/users/add", Access.ADMIN, this::add, this::addPage);
    r.post("/users/approve", Access.ADMIN, this::approve, this::page);
    r.post("/users/reject", Access.ADMIN, this::reject, this::page);
    r.post("/users/disable", Access.ADMIN, x -> setEnabled(x, false), this::page);
    r.post("/users/enable", Access.ADMIN, x -> setEnabled(x, true), this::page);
    r.get("/users/delete", Access.ADMIN, this::deletePage);
    r.post("/users/delete", Access.ADMIN, this::delete, this::deletePage);
  }

  private void page(Exchange x) throws IOException {
    String csrf = x.session().csrf;
    StringBuilder b = new StringBuilder("<p><a id=\"add-user\" href=\"/users/add\">Add user</a></p>");
    b.append("<table id=\"users-table\"><tr><th>User name</th><th>Full name</th><th>E-mail</th><th>Admin</th>"
        + "<th>Status</th><th>Actions</th></tr>");
    for (Account a : c.lifecycle().list()) {
      String n = a.name();
      b.append("<tr data-user=\"").append(Html.e(n)).append("\">").append(Html.td("user-name", n))
          .append(Html.td("user-realname", a.realName())).append(Html.td("user-email", a.email()))
          .append(Html.td("user-admin", a.admin() ? "yes" : "no")).append(Html.td("user-status", a.status().label()))
          .append("<td>");
      if (a.status() == Account.Status.PENDING) {
        b.append(Html.button(csrf, "/users/approve", "approve-user-" + n, "user-approve", "approve", "username", n))
            .append(Html.button(csrf, "/users/reject", "reject-user-" + n, "user-reject", "reject", "username", n));
      } else if (a.status() == Account.Status.DISABLED) {
        b.append(Html.button(csrf, "/users/enable", "enable-user-" + n, "user-enable", "enable", "username", n));
      } else if (!n.equals(x.user())) {
        b.append(Html.button(csrf, "/users/disable", "disable-user-" + n, "user-disable", "disable", "username", n));
      }
      if (!n.equals(x.user())) {
        b.append(" <a id=\"delete-user-").append(Html.e(n)).append("\" class=\"user-delete\" href=\"/users/delete?username=")
            .append(Html.e(java.net.URLEncoder.encode(n, java.nio.charset.StandardCharsets.UTF_8))).append("\">delete</a>");
      }
      b.append("</td></tr>");
    }
    b.append("</table>");
    x.render("Users", "users", b.toString());
  }

  private void addPage(Exchange x) throws IOException {
    String inner = AccountFields.application(x) + "<label for=\"admin\">Administrator:</label><input type=\"checkbox\""
        + " id=\"admin\" name=\"admin\" value=\"on\"" + ("on".equals(x.param("admin")) ? " checked" : "") + "><br>"
        + Html.submit("add-user-submit", "Add user");
    x.render("Add user", "users", "<p>The user is approved at once; the account becomes active when they confirm it"
        + " through the link mailed to them, logging in with this password.</p>"
        + Html.form("add-user-form", "/users/add", x.session().csrf, inner));
  }

  private void add(Exchange x) throws IOException {
    var form = AccountFields.read(x);
    Optional<String> mailProblem = c.lifecycle().addByAdmin(form, "on".equals(x.param("admin")), c.consoleBase(x));
    x.redirect("/users", mailProblem.isEmpty()
        ? Message.info("User " + form.username() + " was added; a confirmation link was mailed to them.")
        : Message.error("User " + form.username() + " was added, but the e-mail could not be sent (" + mailProblem.get()
            + ")."));
  }

  private void approve(Exchange x) throws IOException {
    String n = x.param("username");
    Optional<String> mailProblem = c.lifecycle().approveByName(n, c.consoleBase(x));
    x.redirect("/users", mailProblem.isEmpty()
        ? Message.info("User " + n + " was approved; a confirmation link was mailed to them.")
        : Message.error("User " + n + " was approved, but the e-mail could not be sent (" + mailProblem.get() + ")."));
  }

  private void reject(Exchange x) throws IOException {
    String n = x.param("username");
    Optional<String> mailProblem = c.lifecycle().rejectByName(n);
    x.redirect("/users", mailProblem.isEmpty() ? Message.info("The application of " + n + " was rejected.")
        : Message.error("The application of " + n + " was rejected, but the e-mail could not be sent ("
            + mailProblem.get() + ")."));
  }

  private void setEnabled(Exchange x, boolean enabled) throws IOException {
    String n = x.param("username");
    c.lifecycle().setEnabled(x.user(), n, enabled);
    if (!enabled) {
      c.sessions().revokeAllOf(n);
    }
    x.redirect("/users", Message.info("User " + n + " was " + (enabled ? "enabled." : "disabled.")));
  }

  private void deletePage(Exchange x) throws IOException {
    String n = x.param("username");
    Optional<Account> a = c.lifecycle().find(n);
    if (a.isEmpty()) {
      x.status(404);
      x.error("There is no user " + n + ".");
      page(x);
      return;
    }
    List<String> blockers = c.lifecycle().whatBlocksDeletion(n);
    String body = AccountFields.table("delete-user-info", a.get());
    if (!blockers.isEmpty()) {
      x.error("User " + n + " cannot be deleted: " + String.join(", ", blockers) + ".");
      body += "<p><a id=\"delete-cancel\" href=\"/users\">Back to the users</a></p>";
    } else {
      body += "<p>Delete user <b>" + Html.e(n) + "</b>? Their keys stop working at once. This cannot be undone.</p>"
          + Html.form("delete-confirm-form", "/users/delete", x.session().csrf,
              Html.hidden("username", n) + Html.submit("delete-confirm", "Delete"))
          + "<p><a id=\"delete-cancel\" href=\"/users\">Cancel</a></p>";
    }
    x.render("Delete user " + n, "users", body);
  }

  private void delete(Exchange x) throws IOException {
    String n = x.param("username");
    try {
      c.lifecycle().delete(x.user(), n);
    } catch (AccountRefused e) {
      x.status(409);
      x.error(e.getMessage());
      page(x);
      return;
    }
    c.sessions().revokeAllOf(n);
    x.redirect("/users", Message.info("User " + n + " was deleted."));
  }
}
