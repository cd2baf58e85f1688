package com.eucalyptus.clc.console.pages;

import com.eucalyptus.clc.accounts.Account;
import com.eucalyptus.clc.accounts.AccountForm;
import com.eucalyptus.clc.console.web.Exchange;
import com.eucalyptus.clc.console.web.Html;

/** The sign-up form's fields, shared by Apply, Add user and Edit account information. */
final class AccountFields {
  private AccountFields() {
  }

  static AccountForm read(Exchange x) {
    return new AccountForm(x.param("username"), x.param("password"), x.param("password2"), x.param("realName"),
        x.param("email"), x.param("telephone"), x.param("projectLeader"), x.param("affiliation"),
        x.param("projectDescription"));
  }

  /** Name, passwords and profile, as the guide's sign-up form (values kept when a post is refused). */
  static String application(Exchange x) {
    return "<fieldset><legend>Mandatory fields</legend>"
        + Html.field("Preferred username:", "text", "username", x.valueOr("username", ""), true)
        + Html.field("Password:", "password", "password", "", true)
        + Html.field("Password, again:", "password", "password2", "", true)
        + Html.field("Full Name:", "text", "realName", x.valueOr("realName", ""), true)
        + Html.field("Email address:", "email", "email", x.valueOr("email", ""), true) + "</fieldset>"
        + optional(x, null);
  }

  /** The fields a user may edit later, filled from {@code a}. */
  static String profile(Exchange x, Account a) {
    return Html.field("Full Name:", "text", "realName", x.valueOr("realName", a.realName()), true)
        + Html.field("Email address:", "email", "email", x.valueOr("email", a.email()), true) + optional(x, a);
  }

  private static String optional(Exchange x, Account a) {
    return "<fieldset><legend>Optional fields</legend>"
        + Html.field("Telephone Number:", "text", "telephone", x.valueOr("telephone", a == null ? "" : a.telephone()), false)
        + Html.field("Project Leader:", "text", "projectLeader",
            x.valueOr("projectLeader", a == null ? "" : a.projectLeader()), false)
        + Html.field("Affiliation:", "text", "affiliation", x.valueOr("affiliation", a == null ? "" : a.affiliation()), false)
        + Html.textarea("Project Description:", "projectDescription",
            x.valueOr("projectDescription", a == null ? "" : a.projectDescription()))
        + "</fieldset>";
  }

  /** A read-only table of an account's information. */
  static String table(String id, Account a) {
    return "<table id=\"" + id + "\">" + row("User name", a.name()) + row("Full name", a.realName())
        + row("E-mail address", a.email()) + row("Telephone number", a.telephone())
        + row("Project leader", a.projectLeader()) + row("Affiliation", a.affiliation())
        + row("Project description", a.projectDescription()) + "</table>";
  }

  private static String row(String label, String value) {
    return "<tr><th>" + Html.e(label) + "</th><td>" + Html.e(value) + "</td></tr>";
  }
}
