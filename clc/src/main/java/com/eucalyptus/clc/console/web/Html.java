package com.eucalyptus.clc.console.web;

/**
 * The console's HTML building blocks. Every piece of text that came from a user or the database
 * goes through {@link #e}; the rest is constant markup.
 */
public final class Html {
  private Html() {
  }

  /** HTML-escapes text for element content and quoted attribute values. */
  public static String e(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** A POST form with its CSRF token; {@code inner} is markup already escaped. */
  public static String form(String id, String action, String csrf, String inner) {
    return "<form" + (id == null ? "" : " id=\"" + e(id) + "\"") + " method=\"post\" action=\"" + e(action) + "\">"
        + hidden("csrf", csrf) + inner + "</form>";
  }

  public static String hidden(String name, String value) {
    return "<input type=\"hidden\" name=\"" + e(name) + "\" value=\"" + e(value) + "\">";
  }

  /** A labelled input whose id is its name. */
  public static String field(String label, String type, String name, String value, boolean required) {
    return "<label for=\"" + e(name) + "\">" + e(label) + "</label><input type=\"" + type + "\" id=\"" + e(name)
        + "\" name=\"" + e(name) + "\" value=\"" + e(value) + "\"" + (required ? " required" : "") + "><br>";
  }

  public static String textarea(String label, String name, String value) {
    return "<label for=\"" + e(name) + "\">" + e(label) + "</label><textarea id=\"" + e(name) + "\" name=\"" + e(name)
        + "\" rows=\"4\" cols=\"40\">" + e(value) + "</textarea><br>";
  }

  public static String submit(String id, String label) {
    return "<button type=\"submit\" id=\"" + e(id) + "\">" + e(label) + "</button>";
  }

  /** A one-button POST form (used in table rows). */
  public static String button(String csrf, String action, String id, String cssClass, String label, String... hiddenPairs) {
    StringBuilder inner = new StringBuilder();
    for (int i = 0; i + 1 < hiddenPairs.length; i += 2) {
      inner.append(hidden(hiddenPairs[i], hiddenPairs[i + 1]));
    }
    inner.append("<button type=\"submit\" id=\"").append(e(id)).append("\" class=\"").append(e(cssClass)).append("\">")
        .append(e(label)).append("</button>");
    return "<form class=\"inline\" method=\"post\" action=\"" + e(action) + "\">" + hidden("csrf", csrf) + inner + "</form>";
  }

  public static String td(String cssClass, String text) {
    return "<td class=\"" + cssClass + "\">" + e(text) + "</td>";
  }
}
