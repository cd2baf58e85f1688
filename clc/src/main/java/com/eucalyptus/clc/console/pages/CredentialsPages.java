package com.eucalyptus.clc.console.pages;

import com.eucalyptus.clc.accounts.Account;
import com.eucalyptus.clc.accounts.Accounts;
import com.eucalyptus.clc.accounts.CredentialsZip;
import com.eucalyptus.clc.console.ConsoleServices;
import com.eucalyptus.clc.console.web.Exchange;
import com.eucalyptus.clc.console.web.Html;
import com.eucalyptus.clc.console.web.Message;
import com.eucalyptus.clc.console.web.Routes;
import com.eucalyptus.clc.console.web.Routes.Access;
import java.io.IOException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** The Credentials tab: the x509 zip, the query keys (shown on demand), account information, password. */
public final class CredentialsPages {
  private static final Logger LOG = LogManager.getLogger(CredentialsPages.class);
  private final ConsoleServices c;

  public CredentialsPages(ConsoleServices c) {
    this.c = c;
  }

  public void register(Routes r) {
    r.get("/credentials", Access.USER, this::page);
    r.post("/credentials/download", Access.USER, this::download, this::page);
    r.post("/account", Access.USER, this::saveAccount, this::page);
    r.post("/password", Access.USER, this::changePassword, this::page);
  }

  private void page(Exchange x) throws IOException {
    Account a = c.lifecycle().find(x.user()).orElseThrow();
    String csrf = x.session().csrf;
    String body = "<h2>Download credentials</h2><p>To use the cloud with the EC2 and S3 tools, download your credentials"
        + " (a new certificate from the cloud, your keys and <code>eucarc</code>), unpack them into a folder such as"
        + " <code>$HOME/.euca</code> and source <code>eucarc</code>.</p>"
        + Html.form("download-form", "/credentials/download", csrf,
            Html.submit("download-credentials", "Download credentials"))
        + "<h2>Query interface credentials</h2>"
        + "<details id=\"query-keys\"><summary id=\"show-keys\">Show/hide query keys</summary>"
        + "<p>Query ID (access key): <code id=\"access-key\">" + Html.e(a.accessKey()) + "</code></p>"
        + "<p>Secret key: <code id=\"secret-key\">" + Html.e(a.secretKey()) + "</code></p></details>"
        + "<h2>Account information</h2>" + AccountFields.table("account-info", a)
        + "<h3>Edit account information</h3>"
        + Html.form("account-form", "/account", csrf, AccountFields.profile(x, a) + Html.submit("account-submit", "Save"))
        + "<h3>Change password</h3>"
        + Html.form("password-form", "/password", csrf,
            Html.field("Current password:", "password", "oldPassword", "", true)
                + Html.field("New password:", "password", "newPassword", "", true)
                + Html.field("New password, again:", "password", "newPassword2", "", true)
                + Html.submit("password-submit", "Change password"));
    x.render("Credentials", "credentials", body);
  }

  private void download(Exchange x) throws IOException {
    Accounts.User u = c.accounts().find(x.user()).orElseThrow();
    byte[] zip = c.credentials().make(u, c.cloudBase(x));
    LOG.info("console: credentials zip made for {}", u.name());
    x.resp.setHeader("Content-Disposition", "attachment; filename=\"" + CredentialsZip.fileName(u.name()) + "\"");
    x.send(200, "application/zip", zip);
  }

  private void saveAccount(Exchange x) throws IOException {
    c.lifecycle().updateProfile(x.user(), AccountFields.read(x));
    x.redirect("/credentials", Message.info("Account information saved."));
  }

  private void changePassword(Exchange x) throws IOException {
    String user = x.user();
    c.lifecycle().changePassword(user, x.param("oldPassword"), x.param("newPassword"), x.param("newPassword2"));
    // other browsers logged in with the old password are logged out; this one goes on in a new session
    boolean admin = x.existingSession().admin();
    c.sessions().endAllOf(user);
    x.useSession(c.sessions().logIn(null, user, admin, false));
    x.redirect("/credentials", Message.info("Password changed."));
  }
}
