package com.eucalyptus.clc.api;

/** A small builder for EC2 response bodies; text is always escaped. */
public final class Xml {
  private final StringBuilder sb = new StringBuilder();

  public Xml open(String name) {
    sb.append('<').append(name).append('>');
    return this;
  }

  public Xml close(String name) {
    sb.append("</").append(name).append('>');
    return this;
  }

  public Xml leaf(String name, Object value) {
    return open(name).text(value == null ? "" : String.valueOf(value)).close(name);
  }

  public Xml text(String s) {
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&apos;");
        default -> sb.append(c);
      }
    }
    return this;
  }

  @Override
  public String toString() {
    return sb.toString();
  }
}
