package com.eucalyptus.clc.console.web;

import static com.eucalyptus.clc.console.web.Html.e;

/** The frame of every page: title, who is logged in, the tabs, the message area. */
final class Layout {
  static final String CSS = """
      body{font-family:sans-serif;margin:0;color:#222}
      header{background:#2c4762;color:#fff;padding:.6em 1em}
      header h2{display:inline;margin:0 1em 0 0;font-size:1.2em}
      #whoami{margin-right:1em}
      nav{background:#dde5ee;padding:.4em 1em}
      nav a{margin-right:1.2em;color:#2c4762;text-decoration:none}
      nav a.current{font-weight:bold;text-decoration:underline}
      main{padding:1em}
      #message{padding:.5em 1em;margin:1em;border-radius:4px}
      #message.error{background:#fbe3e3;border:1px solid #c33}
      #message.info{background:#e3f3e3;border:1px solid #3a3}
      label{display:inline-block;min-width:12em}
      input,textarea{margin:.15em 0}
      table{border-collapse:collapse;margin:.5em 0}
      td,th{border:1px solid #bbb;padding:.25em .5em;text-align:left}
      form.inline{display:inline}
      header form{display:inline}
      code{background:#f3f3f3;padding:0 .3em}
      """;
  private static final String[][] USER_TABS = {
      {"credentials", "/credentials", "Credentials"}, {"images", "/images", "Images"}, {"extras", "/extras", "Extras"}};
  private static final String[][] ADMIN_TABS = {
      {"users", "/users", "Users"}, {"configuration", "/configuration", "Configuration"}};

  private Layout() {
  }

  static String page(Exchange x, String title, String tab, String body) {
    StringBuilder b = new StringBuilder(4096);
    b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Eucalyptus: ").append(e(title))
        .append("</title><link rel=\"stylesheet\" href=\"/style.css\"></head><body><header><h2>Eucalyptus</h2>");
    Session s = x.existingSession();
    if (s != null && s.loggedIn()) {
      b.append("<span id=\"whoami\">Logged in as <b>").append(e(s.user())).append("</b></span>")
          .append(Html.form("logout-form", "/logout", s.csrf, "<button type=\"submit\" id=\"logout\">Logout</button>"));
    }
    b.append("</header>");
    if (s != null && s.loggedIn() && !s.setupNeeded()) {
      b.append("<nav>");
      tabs(b, USER_TABS, tab);
      if (s.admin()) {
        tabs(b, ADMIN_TABS, tab);
      }
      b.append("</nav>");
    }
    Message m = x.message();
    if (m != null) {
      b.append("<div id=\"message\" class=\"").append(m.error() ? "error" : "info").append("\">").append(e(m.text()))
          .append("</div>");
    }
    b.append("<main><h1 id=\"page-title\">").append(e(title)).append("</h1>").append(body).append("</main></body></html>");
    return b.toString();
  }

  private static void tabs(StringBuilder b, String[][] tabs, String current) {
    for (String[] t : tabs) {
      b.append("<a id=\"tab-").append(t[0]).append("\" href=\"").append(t[1]).append("\"")
          .append(t[0].equals(current) ? " class=\"current\"" : "").append(">").append(t[2]).append("</a>");
    }
  }
}
