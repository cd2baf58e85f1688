package com.eucalyptus.clc.console;

import com.eucalyptus.runtime.crypto.Pem;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * One browser for the console tests: java.net.http with its own cookie jar, trusting only the
 * console's certificate (so TLS and the certificate's names are checked for real), not following
 * redirects (the tests check them).
 */
final class Browser {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]{64})\"");
  private final HttpClient http;
  private final CookieManager cookies = new CookieManager();
  private final String base;
  String lastBody = "";

  Browser(String base, Path wwwCert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("console", Pem.readCertificate(wwwCert));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    this.http = HttpClient.newBuilder().sslContext(ssl).cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
        .build();
    this.base = base;
  }

  HttpResponse<String> get(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    lastBody = r.body();
    return r;
  }

  HttpResponse<byte[]> postForBytes(String path, Map<String, String> form) throws Exception {
    return http.send(request(path, form), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Posts a form; the CSRF token of the last page this browser loaded is added unless the form has one. */
  HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
    HttpResponse<String> r = http.send(request(path, form), HttpResponse.BodyHandlers.ofString());
    lastBody = r.body();
    return r;
  }

  /** Posts exactly {@code form}: no CSRF token is added (a forged or replayed form). */
  HttpResponse<String> postAsIs(String path, Map<String, String> form) throws Exception {
    HttpResponse<String> r = http.send(request(path, form, false), HttpResponse.BodyHandlers.ofString());
    lastBody = r.body();
    return r;
  }

  private HttpRequest request(String path, Map<String, String> form) {
    return request(path, form, true);
  }

  private HttpRequest request(String path, Map<String, String> form, boolean addToken) {
    Map<String, String> f = new LinkedHashMap<>(form);
    if (addToken) {
      f.putIfAbsent("csrf", csrf());
    }
    StringJoiner body = new StringJoiner("&");
    f.forEach((k, v) -> body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
  }

  /** The CSRF token in the last page loaded. */
  String csrf() {
    Matcher m = CSRF.matcher(lastBody);
    return m.find() ? m.group(1) : "";
  }

  String sessionCookie() {
    return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("EUCASESSION"))
        .map(HttpCookie::getValue).findFirst().orElse("");
  }

  /** The text of the #message element of the last page, "" if none. */
  String message() {
    Matcher m = Pattern.compile("<div id=\"message\" class=\"(error|info)\">([^<]*)</div>").matcher(lastBody);
    return m.find() ? m.group(1) + ": " + m.group(2) : "";
  }
}
