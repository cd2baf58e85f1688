package com.eucalyptus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.itests.support.CloudInstallation;
import com.eucalyptus.itests.support.ConsoleHttp;
import com.eucalyptus.itests.support.ConsoleHttp.Page;
import com.eucalyptus.itests.support.ConsolePages;
import com.eucalyptus.itests.support.HeadlessChromium;
import com.eucalyptus.itests.support.LogsOnFailure;
import com.eucalyptus.itests.support.SmtpSink;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * Bad input to the web console: script in names, wrong passwords, stale and forged CSRF tokens,
 * forged mailed codes, a user opening the administrator's pages, repeated failed logins. Each gets
 * a clear message, and the stored data is checked afterwards (the console's Users tab and
 * euca_conf's DescribeUsers / DescribeProperties) to show nothing changed. Forms that a browser
 * would never send are posted over HTTPS by {@link ConsoleHttp}; what the page shows is checked in
 * headless Chromium (screenshots itests/target/screenshots/console-bad-*.png).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBadInputIT {
  static final String ADMIN_PASSWORD = "Admin-pass-1";
  static final String ADMIN_EMAIL = "admin@cloud.test";
  static final String BOB_PASSWORD = "Bob-pass-1";
  static final String CAROL_PASSWORD = "Carol-pass-1";
  static final String CSRF_REFUSED =
      "This form has expired or did not come from this site. Nothing was changed; please try again.";
  static final String ADMIN_ONLY = "Only an administrator may open this page.";
  static final Duration MAIL_WAIT = Duration.ofSeconds(30);

  static CloudInstallation cloud;
  static SmtpSink smtp;
  static ConsoleHttp adminHttp;
  static HeadlessChromium browser;
  static ConsolePages pages;

  @RegisterExtension
  static LogsOnFailure logs = new LogsOnFailure(() -> cloud);

  @BeforeAll
  static void cloudWithAnAdminAndAUser() {
    smtp = new SmtpSink();
    cloud = CloudInstallation.install("console-bad", Map.of());
    try {
      cloud.startCloudOnly();
      cloud.eucaConf("--set-property", "mail.smtp.host=127.0.0.1").assertOk();
      cloud.eucaConf("--set-property", "mail.smtp.port=" + smtp.port()).assertOk();
      // a registered cluster (no CC answers for it) for the Configuration tab's forms
      cloud.eucaConf("--addcluster", "cluster1", "127.0.0.1").assertOk();
    } catch (Throwable t) {
      throw new AssertionError(t.getMessage() + "\n" + cloud.tailLogs(), t);
    }
    // the admin's first-time setup, over HTTPS
    adminHttp = http();
    assertEquals(303, adminHttp.login("admin", "admin").status());
    Page setup = adminHttp.get("/setup");
    Page done = adminHttp.post("/setup", Map.of("csrf", setup.csrf(), "password", ADMIN_PASSWORD,
        "password2", ADMIN_PASSWORD, "email", ADMIN_EMAIL, "walrusUrl", "http://127.0.0.1:8773/services/Walrus"));
    assertEquals(303, done.status(), done.body());
    // bob: added by the admin, confirmed by himself; an active user
    addUser("bob", BOB_PASSWORD);
    ConsoleHttp bob = http();
    String link = smtp.await("bob@users.test", "Your Eucalyptus account was approved", MAIL_WAIT).link("action=confirm");
    Page form = bob.get(path(link));
    Page confirmed = bob.post("/confirm", Map.of("csrf", form.csrf(), "code", code(link), "username", "bob",
        "password", BOB_PASSWORD));
    assertEquals(303, confirmed.status(), confirmed.body());
    assertEquals("active", status("bob"));

    browser = new HeadlessChromium(Path.of(System.getProperty("euca.source", "..")).toAbsolutePath().normalize()
        .resolve("itests/target/screenshots"));
    pages = new ConsolePages(browser);
  }

  @AfterAll
  static void tearDown() {
    for (AutoCloseable c : new AutoCloseable[] {browser, cloud, smtp}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        System.out.println("closing " + c + ": " + e);
      }
    }
  }

  @Test
  @Order(1)
  void scriptInNamesIsShownAsTextAndNeverRuns() {
    String xss = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">Mallory";
    String xssAffiliation = "\"><script>document.title='pwned'</script>";
    ConsoleHttp anon = http();
    Map<String, String> apply = applyForm("mallory", "Mallory-pass-1", "mallory@users.test");
    apply.put("realName", xss);
    apply.put("affiliation", xssAffiliation);
    apply.put("csrf", anon.get("/apply").csrf());
    assertEquals(303, anon.post("/apply", apply).status(), "a real name with markup is stored as text");

    pages.login("admin", ADMIN_PASSWORD);
    pages.open("/users");
    String cell = browser.find(By.cssSelector("tr[data-user='mallory'] td.user-realname")).getText();
    assertEquals(xss, cell, "the real name is shown as the text that was typed");
    assertNothingRan("Users tab");
    browser.screenshot("console-bad-01-users-tab-escaped");

    pages.open(smtp.await(ADMIN_EMAIL, "Eucalyptus account application: mallory", MAIL_WAIT).link("action=approve"));
    String application = browser.find(By.id("application")).getText();
    assertTrue(application.contains(xss) && application.contains(xssAffiliation), application);
    assertNothingRan("approval page");
    browser.screenshot("console-bad-02-approval-page-escaped");

    // markup in the user name itself is refused, shown escaped, and not stored
    Map<String, String> badName = applyForm("<script>alert(1)</script>", "Mallory-pass-1", "mallory2@users.test");
    badName.put("csrf", anon.get("/apply").csrf());
    Page refused = anon.post("/apply", badName);
    assertEquals(200, refused.status());
    assertEquals("error", refused.messageKind());
    assertTrue(refused.message().startsWith("The user name may have 1 to 30 letters"), refused.message());
    assertFalse(refused.body().contains("<script>alert(1)</script>"), "the refused name is echoed unescaped");
    assertFalse(adminHttp.get("/users").body().contains("alert(1)"), "the refused name was stored");
    assertFalse(cloud.eucaConf("--list-users").assertOk().stdout().contains("script"));
  }

  @Test
  @Order(4)
  void wrongPasswordsAreRefusedAndChangeNothing() {
    ConsoleHttp h = http();
    Page wrong = h.login("bob", "not-bobs-password");
    assertEquals(200, wrong.status());
    assertEquals("Wrong user name or password.", wrong.message());
    assertEquals(303, h.get("/credentials").status(), "not logged in after a wrong password");
    Page unknown = h.login("nosuchuser", "whatever-1");
    assertEquals("Wrong user name or password.", unknown.message(), "an unknown name gets the same answer");

    assertEquals(303, h.login("bob", BOB_PASSWORD).status());
    Page credentials = h.get("/credentials");
    assertEquals(200, credentials.status());
    Page badOld = h.post("/password", Map.of("csrf", credentials.csrf(), "oldPassword", "not-bobs-password",
        "newPassword", "Bob-new-pass-2", "newPassword2", "Bob-new-pass-2"));
    assertNotEquals(303, badOld.status());
    assertEquals("error", badOld.messageKind(), badOld.message());
    Page mismatch = h.post("/password", Map.of("csrf", credentials.csrf(), "oldPassword", BOB_PASSWORD,
        "newPassword", "Bob-new-pass-2", "newPassword2", "Bob-other-pass-3"));
    assertNotEquals(303, mismatch.status());
    assertEquals("error", mismatch.messageKind(), mismatch.message());

    // the password is still the old one
    assertEquals(303, http().login("bob", BOB_PASSWORD).status(), "bob's password was changed by a refused form");

    // in the browser: the message is on the login page, nobody is logged in
    pages.logout();
    pages.login("bob", "not-bobs-password");
    assertEquals("Wrong user name or password.", pages.message());
    assertEquals(null, pages.whoami());
    browser.screenshot("console-bad-03-wrong-password");
  }

  @Test
  @Order(2)
  void staleAndForgedCsrfTokensAreRefused() {
    ConsoleHttp a = http();
    assertEquals(303, a.login("admin", ADMIN_PASSWORD).status());
    String stale = a.get("/users").csrf();
    a.post("/logout", Map.of("csrf", stale));
    assertEquals(303, a.login("admin", ADMIN_PASSWORD).status());
    String fresh = a.get("/users").csrf();
    assertNotEquals(stale, fresh, "a new session has a new token");
    String otherSessions = http().get("/login").csrf();

    Map<String, String> tokens = Map.of("stale (old session)", stale, "forged", "0".repeat(64),
        "another session's", otherSessions);
    for (var t : tokens.entrySet()) {
      Page r = a.post("/users/disable", Map.of("csrf", t.getValue(), "username", "bob"));
      assertEquals(403, r.status(), t.getKey() + " token");
      assertEquals(CSRF_REFUSED, r.message(), t.getKey() + " token");
    }
    Page missing = a.post("/users/disable", Map.of("username", "bob"));
    assertEquals(403, missing.status(), "no token");
    assertEquals(CSRF_REFUSED, missing.message());
    assertEquals("active", status("bob"));
    assertTrue(userEnabled("bob"), "bob was disabled by a refused form");

    // a forged login form logs nobody in
    ConsoleHttp c = http();
    c.get("/login");
    Page login = c.post("/login", Map.of("csrf", "forged", "username", "admin", "password", ADMIN_PASSWORD));
    assertEquals(403, login.status());
    assertEquals(303, c.get("/users").status(), "logged in through a forged login form");

    // in the browser: a page left open across a new login is refused with the message
    pages.login("admin", ADMIN_PASSWORD);
    pages.open("/users");
    String oldToken = browser.find(By.name("csrf")).getAttribute("value");
    pages.logout();
    pages.login("admin", ADMIN_PASSWORD);
    pages.open("/users");
    browser.driver().executeScript(
        "for (const f of document.forms) { if (f.elements.csrf) f.elements.csrf.value = arguments[0]; }", oldToken);
    pages.click("disable-user-bob");
    browser.awaitText("This form has expired");
    browser.screenshot("console-bad-04-stale-form");
    assertEquals("active", status("bob"));

    // the same form with its own token works: the refusals were the tokens' doing
    assertEquals(303, a.post("/users/disable", Map.of("csrf", fresh, "username", "bob")).status());
    assertEquals("disabled", status("bob"));
    assertEquals(303, a.post("/users/enable", Map.of("csrf", fresh, "username", "bob")).status());
    assertEquals("active", status("bob"));
  }

  @Test
  @Order(5)
  void forgedMailedCodesAreRefused() {
    addUser("carol", CAROL_PASSWORD);
    String link = smtp.await("carol@users.test", "Your Eucalyptus account was approved", MAIL_WAIT).link("action=confirm");
    String realCode = code(link);
    String forged = HexFormat.of().formatHex(new SecureRandom().generateSeed(32));
    ConsoleHttp c = http();
    String csrf = c.get("/login").csrf();

    Page r = c.post("/confirm", Map.of("csrf", csrf, "code", forged, "username", "carol", "password", CAROL_PASSWORD));
    assertNotEquals(303, r.status());
    assertTrue(r.message().startsWith("This link is not valid"), r.message());
    assertEquals("unconfirmed", status("carol"));
    r = c.post("/confirm", Map.of("csrf", csrf, "code", realCode, "username", "bob", "password", BOB_PASSWORD));
    assertNotEquals(303, r.status());
    assertTrue(r.message().startsWith("This link is not valid"), "someone else's code: " + r.message());
    assertEquals("unconfirmed", status("carol"));
    // the right code with a wrong password confirms nothing either (only the applicant knows it)
    r = c.post("/confirm", Map.of("csrf", csrf, "code", realCode, "username", "carol", "password", "not-carols-pw"));
    assertNotEquals(303, r.status());
    assertEquals("Wrong user name or password.", r.message());
    assertEquals("unconfirmed", status("carol"));

    // dave applies; forged approve / reject codes leave him pending
    ConsoleHttp dave = http();
    Map<String, String> apply = applyForm("dave", "Dave-pass-1", "dave@users.test");
    apply.put("csrf", dave.get("/apply").csrf());
    assertEquals(303, dave.post("/apply", apply).status());
    Page approvePage = c.get("/?action=approve&code=" + forged);
    assertEquals(404, approvePage.status());
    assertEquals("This link is not valid (unknown, used or expired).", approvePage.message());
    for (String action : List.of("/approve", "/reject")) {
      Page p = c.post(action, Map.of("csrf", csrf, "code", forged));
      assertNotEquals(303, p.status(), action);
      assertTrue(p.message().startsWith("This link is not valid"), action + ": " + p.message());
    }
    assertEquals("pending", status("dave"));
    assertTrue(smtp.to("dave@users.test").isEmpty(), "dave was mailed a decision: " + smtp.to("dave@users.test"));
    Page reset = c.post("/reset", Map.of("csrf", csrf, "code", forged, "password", "Taken-over-1",
        "password2", "Taken-over-1"));
    assertNotEquals(303, reset.status());
    assertTrue(reset.message().startsWith("This link is not valid"), reset.message());

    // in the browser: the forged link's page says so
    pages.open("/?action=approve&code=" + forged);
    assertTrue(pages.message().startsWith("This link is not valid"), pages.message());
    browser.screenshot("console-bad-05-forged-link");

    // the real code with the right name and password works: the refusals were the forgeries'
    r = c.post("/confirm", Map.of("csrf", csrf, "code", realCode, "username", "carol", "password", CAROL_PASSWORD));
    assertEquals(303, r.status(), r.body());
    assertEquals("active", status("carol"));
  }

  @Test
  @Order(3)
  void aUserIsRefusedTheAdministratorsPagesAndFormsAndNothingChanges() {
    String usersBefore = withoutTokens(adminHttp.get("/users").body());
    String configurationBefore = withoutTokens(adminHttp.get("/configuration").body());
    String imagesBefore = withoutTokens(adminHttp.get("/images").body());
    ConsoleHttp b = http();
    assertEquals(303, b.login("bob", BOB_PASSWORD).status());
    String token = b.get("/credentials").csrf();
    for (String page : List.of("/users", "/configuration", "/users/add", "/users/delete?username=mallory")) {
      Page p = b.get(page);
      assertEquals(403, p.status(), page);
      assertEquals(ADMIN_ONLY, p.message(), page);
    }
    Map<String, Map<String, String>> posts = new java.util.LinkedHashMap<>();
    posts.put("/users/disable", Map.of("csrf", token, "username", "admin"));
    posts.put("/users/delete", Map.of("csrf", token, "username", "mallory"));
    posts.put("/users/enable", Map.of("csrf", token, "username", "mallory"));
    posts.put("/users/approve", Map.of("csrf", token, "username", "mallory"));
    posts.put("/users/reject", Map.of("csrf", token, "username", "mallory"));
    posts.put("/configuration/properties", Map.of("csrf", token, "mail.smtp.host", "evil.example"));
    posts.put("/configuration/clusters", Map.of("csrf", token, "name", "evilcluster", "host", "evil.example",
        "port", "8774"));
    posts.put("/configuration/clusters/delete", Map.of("csrf", token, "name", "cluster1"));
    posts.put("/configuration/vmtypes", Map.of("csrf", token, "cpu.m1.small", "64", "memory.m1.small", "1",
        "disk.m1.small", "1"));
    posts.put("/images/disable", Map.of("csrf", token, "imageId", "emi-00000000"));
    posts.put("/images/enable", Map.of("csrf", token, "imageId", "emi-00000000"));
    Map<String, String> add = applyForm("bobsfriend", "Friend-pass-1", "friend@users.test");
    add.put("csrf", token);
    add.put("admin", "on");
    posts.put("/users/add", add);
    for (var post : posts.entrySet()) {
      Page p = b.post(post.getKey(), post.getValue());
      assertEquals(403, p.status(), post.getKey());
      assertEquals(ADMIN_ONLY, p.message(), post.getKey());
    }
    String users = cloud.eucaConf("--list-users").assertOk().stdout();
    assertTrue(userEnabled("admin"), users);
    assertEquals("pending", status("mallory"), "mallory's application was deleted by a non-admin");
    assertFalse(users.contains("bobsfriend"), "a user added by a non-admin:\n" + users);
    assertTrue(cloud.eucaConf("--list-properties").assertOk().stdout().contains("mail.smtp.host\t127.0.0.1\n"));
    // the administrator's pages show exactly what they showed before (users, properties, clusters,
    // VM types, images)
    assertEquals(usersBefore, withoutTokens(adminHttp.get("/users").body()), "the Users tab changed");
    assertEquals(configurationBefore, withoutTokens(adminHttp.get("/configuration").body()), "the Configuration tab changed");
    assertEquals(imagesBefore, withoutTokens(adminHttp.get("/images").body()), "the Images tab changed");
    assertTrue(smtp.to("mallory@users.test").isEmpty(), "mallory was mailed a decision");

    // in the browser: no admin tabs, and the page says why
    pages.logout();
    pages.login("bob", BOB_PASSWORD);
    assertFalse(browser.present(By.id("tab-users")));
    pages.open("/configuration");
    assertEquals(ADMIN_ONLY, pages.message());
    browser.screenshot("console-bad-06-user-opens-configuration");
    pages.logout();
  }

  @Test
  @Order(6)
  void repeatedFailedLoginsAreSlowedDown() throws InterruptedException {
    // the console counts failures per user and per address: the tests before this one may
    // already have used up some of the three free failures of 127.0.0.1
    ConsoleHttp t = http().withoutThrottleWaits();
    int wrong = 0;
    Page answer = t.login("bob", "wrong-password-0");
    while (answer.status() != 429) {
      assertEquals("Wrong user name or password.", answer.message());
      wrong++;
      assertTrue(wrong <= 3, "a fourth wrong password in a row was still checked");
      answer = t.login("bob", "wrong-password-" + wrong);
    }
    // now even the right password waits
    Page refused = t.login("bob", BOB_PASSWORD);
    assertEquals(429, refused.status(), refused.message());
    Matcher wait = Pattern.compile("Too many failed sign-ins\\. Wait (\\d+) seconds? and try again\\.")
        .matcher(refused.message());
    assertTrue(wait.matches(), refused.message());
    assertEquals(303, t.get("/credentials").status(), "logged in while refused");
    int seconds = Integer.parseInt(wait.group(1));
    assertTrue(seconds >= 1 && seconds <= 60, "delay " + seconds + " s");
    pages.logout();
    pages.loginOnce("bob", BOB_PASSWORD);
    assertTrue(pages.message().startsWith("Too many failed sign-ins. Wait "), pages.message());
    assertEquals(null, pages.whoami());
    browser.screenshot("console-bad-07-throttled");
    Thread.sleep((seconds + 1) * 1000L);
    assertEquals(303, t.login("bob", BOB_PASSWORD).status(), "after the delay the right password works");
  }

  @Test
  @Order(7)
  void applicationsAreScreenedAndRefusedOnesLeaveNoTrace() {
    ConsoleHttp anon = http();
    String nameRule = "The user name may have 1 to 30 letters, digits, '.', '_' or '-', starting with a letter or digit.";
    Map<String, Map<String, String>> cases = new java.util.LinkedHashMap<>();
    cases.put("31 characters", applyForm("a".repeat(31), "Good-pass-1", "long@users.test"));
    cases.put("starts with a dot", applyForm(".dotty", "Good-pass-1", "dotty@users.test"));
    cases.put("a space", applyForm("two words", "Good-pass-1", "space@users.test"));
    cases.put("an active user's name", applyForm("bob", "Good-pass-1", "bob2@users.test"));
    cases.put("a pending applicant's name", applyForm("mallory", "Good-pass-1", "mallory3@users.test"));
    cases.put("a short password", applyForm("shorty", "12345", "shorty@users.test"));
    Map<String, String> differ = applyForm("twopass", "Good-pass-1", "twopass@users.test");
    differ.put("password2", "Good-pass-2");
    cases.put("unequal passwords", differ);
    cases.put("an e-mail without @", applyForm("nomail", "Good-pass-1", "nomail.users.test"));
    Map<String, String> noName = applyForm("noname", "Good-pass-1", "noname@users.test");
    noName.put("realName", "");
    cases.put("no real name", noName);

    for (var c : cases.entrySet()) {
      Map<String, String> form = new HashMap<>(c.getValue());
      form.put("csrf", anon.get("/apply").csrf());
      Page r = anon.post("/apply", form);
      assertEquals(200, r.status(), c.getKey());
      assertEquals("error", r.messageKind(), c.getKey() + ": " + r.message());
      assertFalse(r.message().isBlank(), c.getKey());
      switch (c.getKey()) {
        case "31 characters", "starts with a dot", "a space" -> assertEquals(nameRule, r.message(), c.getKey());
        case "an active user's name" -> assertEquals("The user name bob is already taken.", r.message());
        case "a pending applicant's name" -> assertEquals("The user name mallory is already taken.", r.message());
        default -> { }
      }
    }
    // nothing stored, nobody mailed
    String usersTab = adminHttp.get("/users").body();
    for (String name : List.of("a".repeat(31), ".dotty", "two words", "shorty", "twopass", "nomail", "noname")) {
      assertFalse(usersTab.contains("data-user=\"" + name + "\""), name + " was stored");
      assertTrue(smtp.all().stream().noneMatch(m -> m.subject().endsWith(": " + name)), name + " was mailed to the admin");
    }
    assertEquals("bob@users.test", Pattern.compile("<tr[^>]*data-user=\"bob\"[^>]*>.*?class=\"user-email\"[^>]*>([^<]*)<",
        Pattern.DOTALL).matcher(usersTab).results().findFirst().orElseThrow().group(1), "bob's e-mail changed");
  }

  // ---- helpers ---------------------------------------------------------------------------------

  static ConsoleHttp http() {
    return new ConsoleHttp(cloud.keysDir().resolve("www-cert.pem"));
  }

  static Map<String, String> applyForm(String user, String password, String email) {
    Map<String, String> f = new HashMap<>();
    f.put("username", user);
    f.put("password", password);
    f.put("password2", password);
    f.put("realName", "Test " + user);
    f.put("email", email);
    return f;
  }

  /** The admin adds a user (approved, still to confirm): a confirmation mail goes to USER@users.test. */
  static void addUser(String user, String password) {
    Map<String, String> f = applyForm(user, password, user + "@users.test");
    f.put("csrf", adminHttp.get("/users/add").csrf());
    Page added = adminHttp.post("/users/add", f);
    assertEquals(303, added.status(), added.message() + "\n" + added.body());
  }

  /** The user's status in the admin's Users tab. */
  static String status(String user) {
    String body = adminHttp.get("/users").body();
    Matcher row = Pattern.compile("<tr[^>]*data-user=\"" + Pattern.quote(user) + "\"[^>]*>(.*?)</tr>", Pattern.DOTALL)
        .matcher(body);
    if (!row.find()) {
      return "absent";
    }
    Matcher cell = Pattern.compile("class=\"user-status\"[^>]*>\\s*([^<\\s]*)").matcher(row.group(1));
    assertTrue(cell.find(), "no status cell in " + row.group());
    return cell.group(1);
  }

  /** ENABLED column of euca_conf --list-users (DescribeUsers). */
  static boolean userEnabled(String user) {
    String users = cloud.eucaConf("--list-users").assertOk().stdout();
    return users.lines().filter(l -> l.startsWith(user + "\t")).findFirst()
        .orElseThrow(() -> new AssertionError(user + " not in\n" + users)).endsWith("\ttrue");
  }

  /** A page without its CSRF tokens and message (what differs between two views of the same data). */
  static String withoutTokens(String page) {
    return page.replaceAll("name=\"csrf\" value=\"[0-9a-f]{64}\"", "name=\"csrf\"")
        .replaceAll("<div id=\"message\"[^>]*>[^<]*</div>", "");
  }

  static String path(String link) {
    return link.substring(link.indexOf('/', "https://".length()));
  }

  static String code(String link) {
    Matcher m = Pattern.compile("code=([0-9a-f]{64})").matcher(link);
    assertTrue(m.find(), link);
    return m.group(1);
  }

  /** No markup typed into a field became an element, and no script changed the page's title. */
  static void assertNothingRan(String where) {
    assertTrue(browser.driver().getTitle().startsWith("Eucalyptus"), where + ": title " + browser.driver().getTitle());
    assertTrue(browser.driver().findElements(By.tagName("script")).isEmpty(), where + " holds a script element");
    assertTrue(browser.driver().findElements(By.cssSelector("img[src='x']")).isEmpty(), where + " holds the typed img");
  }
}
