package com.eucalyptus.walrus.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Builds S3's XML response documents (escaped text, the 2006-03-01 namespace on the root). */
public final class XmlOut {
  public static final String NS = "http://s3.amazonaws.com/doc/2006-03-01/";
  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private final StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");

  /** A document whose root element carries the S3 namespace. */
  public static XmlOut document(String root) {
    XmlOut x = new XmlOut();
    x.sb.append('<').append(root).append(" xmlns=\"").append(NS).append("\">");
    return x;
  }

  /** A document with a plain root (S3's Error documents have no namespace). */
  public static XmlOut plain(String root) {
    XmlOut x = new XmlOut();
    x.sb.append('<').append(root).append('>');
    return x;
  }

  public XmlOut open(String element) {
    sb.append('<').append(element).append('>');
    return this;
  }

  /** An element with raw attributes, e.g. {@code Grantee xmlns:xsi=... xsi:type="Group"}. */
  public XmlOut openWith(String element, String attributes) {
    sb.append('<').append(element).append(' ').append(attributes).append('>');
    return this;
  }

  public XmlOut close(String element) {
    sb.append("</").append(element).append('>');
    return this;
  }

  public XmlOut leaf(String element, Object text) {
    if (text == null) {
      return this;
    }
    sb.append('<').append(element).append('>').append(escape(String.valueOf(text))).append("</").append(element).append('>');
    return this;
  }

  public String end(String root) {
    return sb.append("</").append(root).append('>').toString();
  }

  public static String iso(long millis) {
    return ISO.format(Instant.ofEpochMilli(millis));
  }

  public static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            out.append("&#x").append(Integer.toHexString(c)).append(';');
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
