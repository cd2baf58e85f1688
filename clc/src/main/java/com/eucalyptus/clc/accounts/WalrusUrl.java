package com.eucalyptus.clc.accounts;

import java.net.URI;
import java.util.Locale;

/** The Walrus URL the administrator confirms at first login, and the cloud URL made from it. */
public final class WalrusUrl {
  public static final String PATH = "/services/Walrus";

  private WalrusUrl() {
  }

  /** {@code http(s)://host[:port]/services/Walrus} → {@code http(s)://host[:port]}; refuses anything else. */
  public static String cloudBase(String walrusUrl) {
    String s = walrusUrl == null ? "" : walrusUrl.strip();
    try {
      URI u = new URI(s);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null && u.getRawQuery() == null
          && u.getRawFragment() == null && u.getUserInfo() == null
          && (u.getPath().equals(PATH) || u.getPath().equals(PATH + "/"))) {
        return scheme + "://" + u.getRawAuthority();
      }
    } catch (java.net.URISyntaxException e) {
      // refused below
    }
    throw new AccountRefused("The Walrus URL must look like http://host:8773/services/Walrus.");
  }
}
