package com.eucalyptus.clc.console.web;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** The console's URLs: who may open each, what handles it, and which page shows a refused form again. */
public final class Routes {
  /** Who may open a URL. */
  public enum Access { ANYONE, USER, ADMIN }

  /** Handles one request. */
  @FunctionalInterface
  public interface Handler {
    void handle(Exchange x) throws IOException;
  }

  record Route(Access access, Handler handler, Handler formPage) {
  }

  private final Map<String, Route> gets = new HashMap<>();
  private final Map<String, Route> posts = new HashMap<>();
  private final Map<String, Handler> rootActions = new HashMap<>();

  public void get(String path, Access access, Handler handler) {
    gets.put(path, new Route(access, handler, handler));
  }

  /** A POST; when it is refused (bad token, bad input) {@code formPage} is shown again with the message. */
  public void post(String path, Access access, Handler handler, Handler formPage) {
    posts.put(path, new Route(access, handler, formPage));
  }

  /** {@code GET /?action=NAME&...}: the shape of the links the original mailed. */
  public void rootAction(String action, Handler handler) {
    rootActions.put(action, handler);
  }

  /** Every URL that takes a POST (each must come from a form carrying the CSRF token). */
  public java.util.Set<String> postPaths() {
    return java.util.Set.copyOf(posts.keySet());
  }

  Route find(String method, String path) {
    return ("POST".equals(method) ? posts : gets).get(path);
  }

  Handler rootAction(String action) {
    return rootActions.get(action);
  }
}
