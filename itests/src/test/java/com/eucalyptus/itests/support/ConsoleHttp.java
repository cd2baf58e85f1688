package com.eucalyptus.itests.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The console spoken to over plain HTTPS with a cookie jar, for the bad-input tests that a
 * browser cannot send (forged forms, tokens from another session). It trusts exactly the
 * console's own certificate ({@code keys/www-cert.pem}); redirects are not followed, so a test
 * sees the 303 or the refusal itself.
 */
public final class ConsoleHttp {
  private final HttpClient client;
  private final CookieManager cookies = new CookieManager();
  private static final Pattern THROTTLED = Pattern.compile("Too many failed sign-ins\\. Wait (\\d+) seconds?");
  private boolean waitOutThrottle = true;

  public ConsoleHttp(Path wwwCertPem) {
    try (InputStream in = Files.newInputStream(wwwCertPem)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("console", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, tmf.getTrustManagers(), null);
      client = HttpClient.newBuilder().sslContext(tls).cookieHandler(cookies)
          .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot trust " + wwwCertPem, e);
    }
  }

  public record Page(int status, String location, String body) {
    /** The hidden csrf field's value in this page's (first) form. */
    public String csrf() {
      Matcher m = Pattern.compile("name=\"csrf\"\\s+value=\"([^\"]*)\"|value=\"([^\"]*)\"\\s+name=\"csrf\"").matcher(body);
      if (!m.find()) {
        throw new AssertionError("no csrf field in the page:\n" + body);
      }
      return m.group(1) != null ? m.group(1) : m.group(2);
    }

    /** The plain text of the #message area ("" when there is none). */
    public String message() {
      Matcher m = Pattern.compile("<div id=\"message\"[^>]*>(.*?)</div>", Pattern.DOTALL).matcher(body);
      return m.find() ? unescape(m.group(1).replaceAll("<[^>]+>", "").trim()) : "";
    }

    public String messageKind() {
      Matcher m = Pattern.compile("<div id=\"message\"[^>]*class=\"([^\"]*)\"").matcher(body);
      return m.find() ? m.group(1) : "";
    }
  }

  /**
   * Answers 429 "Too many failed sign-ins" as they come instead of waiting the delay and trying
   * again (which is what every other caller wants: all tests come from 127.0.0.1, and the console
   * counts failed sign-ins per address as well as per user).
   */
  public ConsoleHttp withoutThrottleWaits() {
    waitOutThrottle = false;
    return this;
  }

  public Page get(String path) {
    return send(HttpRequest.newBuilder(URI.create(ConsolePages.BASE + path)).GET());
  }

  public Page post(String path, Map<String, String> form) {
    String body = form.entrySet().stream()
        .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
        .collect(Collectors.joining("&"));
    return send(HttpRequest.newBuilder(URI.create(ConsolePages.BASE + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** Logs in with the login form's own token; returns the answer to the POST. */
  public Page login(String user, String password) {
    String csrf = get("/login").csrf();
    return post("/login", Map.of("csrf", csrf, "username", user, "password", password));
  }

  private Page send(HttpRequest.Builder builder) {
    HttpRequest request = builder.timeout(Duration.ofSeconds(30)).build();
    try {
      for (int attempt = 1; ; attempt++) {
        HttpResponse<String> r = sendOnLiveConnection(request);
        Page page = new Page(r.statusCode(), r.headers().firstValue("Location").orElse(null), r.body());
        Matcher wait = THROTTLED.matcher(page.message());
        if (!waitOutThrottle || page.status() != 429 || !wait.find() || attempt > 4) {
          return page;
        }
        Thread.sleep((Long.parseLong(wait.group(1)) + 1) * 1000);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends once more, on a new connection, a request that got no byte of an answer: Java's client
   * can pick a kept-alive connection the server closed a moment before (seen once in a full run:
   * "HTTP/1.1 header parser received no bytes"), and such a request was never answered.
   */
  private HttpResponse<String> sendOnLiveConnection(HttpRequest request) throws IOException, InterruptedException {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      if (e.getMessage() == null || !e.getMessage().contains("received no bytes")) {
        throw e;
      }
      return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static String unescape(String s) {
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
        .replace("&#x27;", "'").replace("&amp;", "&");
  }
}
