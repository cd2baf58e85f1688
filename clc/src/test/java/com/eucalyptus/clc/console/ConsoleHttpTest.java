package com.eucalyptus.clc.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.clc.accounts.Account;
import com.eucalyptus.clc.accounts.CredentialsZip;
import com.eucalyptus.clc.accounts.LifecycleFixture;
import com.eucalyptus.clc.cluster.Clusters;
import com.eucalyptus.clc.console.web.LoginThrottle;
import com.eucalyptus.clc.console.web.Routes;
import com.eucalyptus.clc.console.web.Sessions;
import com.eucalyptus.clc.images.Images;
import com.eucalyptus.clc.properties.SystemProperties;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console over real HTTPS (its Jetty on a free port, its self-signed certificate), a real
 * HSQLDB and a real SMTP server: first login, apply, approve by the mailed link, confirm,
 * download credentials, and the refusals (CSRF, non-admin, throttling, escaping).
 */
class ConsoleHttpTest {
  @TempDir
  Path home;
  LifecycleFixture f;
  ConsoleServer server;
  Images images;
  String base;

  @BeforeEach
  void start() throws Exception {
    f = new LifecycleFixture(home);
    images = new Images(f.db);
    ConsoleServices services = new ConsoleServices(f.lifecycle, f.accounts, f.properties, new CredentialsZip(f.db, f.ca),
        images, new Clusters(f.db), new Sessions(f.clock), new LoginThrottle(f.clock, 3), 0, 8773);
    server = ConsoleServer.start(services, f.keysDir());
    base = "https://localhost:" + server.port();
  }

  @AfterEach
  void stop() {
    server.close();
    f.close();
  }

  Browser browser() throws Exception {
    return new Browser(base, f.keysDir().resolve("www-cert.pem"));
  }

  static String location(HttpResponse<?> r) {
    return r.headers().firstValue("Location").orElse("");
  }

  private Browser adminAfterSetup() throws Exception {
    Browser admin = browser();
    admin.get("/login");
    assertEquals(303, admin.post("/login", Map.of("username", "admin", "password", "admin")).statusCode());
    admin.get("/setup");
    HttpResponse<String> r = admin.post("/setup", Map.of("password", "new-admin-pw", "password2", "new-admin-pw",
        "email", "admin@cloud.example", "walrusUrl", "http://localhost:8773/services/Walrus"));
    assertEquals(303, r.statusCode(), admin.lastBody);
    return admin;
  }

  private static Map<String, String> application(String name, String realName) {
    Map<String, String> m = new HashMap<>();
    m.put("username", name);
    m.put("password", "alice-pw-1");
    m.put("password2", "alice-pw-1");
    m.put("realName", realName);
    m.put("email", name + "@example.org");
    m.put("telephone", "555");
    m.put("projectLeader", "");
    m.put("affiliation", "UCSB");
    m.put("projectDescription", "test");
    return m;
  }

  @Test
  void firstLoginForcesTheSetupAndRotatesTheSession() throws Exception {
    Browser admin = browser();
    HttpResponse<String> login = admin.get("/");
    assertEquals(200, login.statusCode());
    assertTrue(login.body().contains("id=\"login-form\""));
    assertFalse(login.body().contains("apply-link"), "no sign-up before the admin's e-mail is known");
    String anonymous = admin.sessionCookie();
    HttpResponse<String> r = admin.post("/login", Map.of("username", "admin", "password", "admin"));
    assertEquals(303, r.statusCode());
    assertEquals("/setup", location(r));
    String cookie = r.headers().allValues("Set-Cookie").get(0);
    assertTrue(cookie.contains("; Secure") && cookie.contains("; HttpOnly") && cookie.contains("SameSite=Lax"), cookie);
    assertNotEquals(anonymous, admin.sessionCookie(), "the session id changes at login");

    assertEquals("/setup", location(admin.get("/credentials")), "every page leads to the setup first");
    admin.get("/setup");
    assertTrue(admin.lastBody.contains("value=\"http://localhost:" + 8773 + "/services/Walrus\""), admin.lastBody);
    r = admin.post("/setup", Map.of("password", "admin", "password2", "admin", "email", "a@b.c",
        "walrusUrl", "http://localhost:8773/services/Walrus"));
    assertEquals(200, r.statusCode());
    assertTrue(admin.message().startsWith("error: Please choose a password other than"), admin.message());
    admin.get("/setup");
    r = admin.post("/setup", Map.of("password", "new-admin-pw", "password2", "new-admin-pw", "email",
        "admin@cloud.example", "walrusUrl", "http://localhost:8773/services/Walrus"));
    assertEquals("/configuration", location(r));
    admin.get("/configuration");
    assertEquals("info: Setup complete.", admin.message());
    assertTrue(admin.lastBody.contains("name=\"walrus.storage.path\""));
    assertEquals("http://localhost:8773", f.properties.get(SystemProperties.CLOUD_URL));
    assertTrue(browser().get("/login").body().contains("id=\"apply-link\""));
  }

  @Test
  void applyApproveConfirmAndDownloadCredentials() throws Exception {
    Browser admin = adminAfterSetup();
    Browser alice = browser();
    alice.get("/apply");
    HttpResponse<String> r = alice.post("/apply", application("alice", "<script>alert(1)</script>"));
    assertEquals(303, r.statusCode(), alice.lastBody);
    alice.get("/login");
    assertTrue(alice.message().startsWith("info: Thank you."), alice.message());

    String approveCode = LifecycleFixture.code(f.mail(1), "approve");
    Browser mailReader = browser();
    r = mailReader.get("/?action=approve&code=" + approveCode);
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "names are shown as text");
    assertFalse(r.body().contains("<script>"));
    assertEquals(404, mailReader.get("/?action=approve&code=" + "ab".repeat(32)).statusCode(), "forged code");
    mailReader.get("/?action=approve&code=" + approveCode);
    r = mailReader.post("/approve", Map.of("code", approveCode));
    assertEquals(303, r.statusCode(), mailReader.lastBody);

    String confirmCode = LifecycleFixture.code(f.mail(2), "confirm");
    assertEquals("Your Eucalyptus account was approved", f.mail(2).getSubject());
    assertTrue(LifecycleFixture.body(f.mail(2)).contains("https://localhost:"), "links name the cloud's host");
    alice.get("/?action=confirm&code=" + confirmCode);
    assertTrue(alice.lastBody.contains("id=\"confirm-form\""));
    r = alice.post("/confirm", Map.of("code", confirmCode, "username", "alice", "password", "wrong-pw"));
    assertEquals(200, r.statusCode());
    assertEquals("error: Wrong user name or password.", alice.message());
    assertEquals(Account.Status.UNCONFIRMED, f.lifecycle.find("alice").orElseThrow().status());
    r = alice.post("/confirm", Map.of("code", confirmCode, "username", "alice", "password", "alice-pw-1"));
    assertEquals("/credentials", location(r));
    alice.get("/credentials");
    assertEquals("info: Your account is now active.", alice.message());
    String accessKey = f.accounts.find("alice").orElseThrow().accessKey();
    assertTrue(alice.lastBody.contains("<code id=\"access-key\">" + accessKey + "</code>"));
    assertFalse(alice.lastBody.contains("tab-users"), "a user sees no admin tabs");

    HttpResponse<byte[]> zip = alice.postForBytes("/credentials/download", Map.of());
    assertEquals(200, zip.statusCode());
    assertEquals("application/zip", zip.headers().firstValue("Content-Type").orElse(""));
    assertEquals("attachment; filename=\"euca2-alice-x509.zip\"", zip.headers().firstValue("Content-Disposition").orElse(""));
    Map<String, String> entries = unzip(zip.body());
    assertTrue(entries.get("eucarc").contains("export S3_URL=http://localhost:8773/services/Walrus"));
    assertTrue(entries.get("eucarc").contains("export EC2_ACCESS_KEY='" + accessKey + "'"));
    assertTrue(entries.containsKey("cloud-cert.pem"));
    assertEquals(2, entries.keySet().stream().filter(n -> n.startsWith("euca2-alice-")).count());

    // a non-admin is refused admin pages and actions, and nothing changes
    assertEquals(403, alice.get("/users").statusCode());
    assertEquals("error: Only an administrator may open this page.", alice.message());
    alice.get("/credentials");
    assertEquals(403, alice.post("/users/disable", Map.of("username", "admin")).statusCode());
    assertTrue(f.accounts.find("admin").orElseThrow().enabled());

    // the admin disables alice: her session ends at once, her keys stop working
    admin.get("/users");
    assertTrue(admin.lastBody.contains("<tr data-user=\"alice\">"));
    assertTrue(admin.lastBody.contains("<td class=\"user-status\">active</td>"));
    r = admin.post("/users/disable", Map.of("username", "alice"));
    assertEquals(303, r.statusCode(), admin.lastBody);
    assertFalse(f.accounts.findByAccessKey(accessKey).orElseThrow().enabled());
    assertEquals("/login", location(alice.get("/credentials")));
    alice.get("/login");
    assertEquals("error: Your account is no longer active; you were logged out.", alice.message());
    assertEquals("/login", location(alice.get("/credentials")), "the session stays ended");
  }

  @Test
  void aDeletedUsersSessionEndsEvenWhenTheNameIsTakenAgain() throws Exception {
    Browser admin = adminAfterSetup();
    f.lifecycle.addByAdmin(new com.eucalyptus.clc.accounts.AccountForm("ivan", "ivan-pw-12", "ivan-pw-12", "Ivan",
        "ivan@example.org", "", "", "", ""), false, "https://localhost");
    f.lifecycle.confirm(LifecycleFixture.code(f.mail(1), "confirm"), "ivan", "ivan-pw-12");
    Browser ivan = browser();
    ivan.get("/login");
    assertEquals(303, ivan.post("/login", Map.of("username", "ivan", "password", "ivan-pw-12")).statusCode());
    assertEquals(200, ivan.get("/credentials").statusCode());

    admin.get("/users/delete?username=ivan");
    assertEquals(303, admin.post("/users/delete", Map.of("username", "ivan")).statusCode(), admin.lastBody);
    // someone else gets the name before the old session's next request
    f.accounts.add("ivan", "other@example.org", false, "other-pw-12");
    assertEquals("/login", location(ivan.get("/credentials")));
    ivan.get("/login");
    assertEquals("error: Your account is no longer active; you were logged out.", ivan.message());
  }

  @Test
  void staleOrForgedCsrfTokensChangeNothing() throws Exception {
    Browser admin = adminAfterSetup();
    f.lifecycle.addByAdmin(new com.eucalyptus.clc.accounts.AccountForm("bob", "bob-pw-12", "bob-pw-12", "Bob",
        "bob@example.org", "", "", "", ""), false, "https://localhost");
    admin.get("/users");
    String token = admin.csrf();
    HttpResponse<String> r = admin.post("/users/disable", Map.of("username", "bob", "csrf", "0".repeat(64)));
    assertEquals(403, r.statusCode());
    assertTrue(admin.message().contains("Nothing was changed"), admin.message());
    assertEquals(Account.Status.UNCONFIRMED, f.lifecycle.find("bob").orElseThrow().status());

    // a token from before logging out is stale afterwards
    admin.post("/logout", Map.of("csrf", token));
    admin.get("/login");
    admin.post("/login", Map.of("username", "admin", "password", "new-admin-pw"));
    r = admin.post("/users/disable", Map.of("username", "bob", "csrf", token));
    assertEquals(403, r.statusCode());
    assertEquals(Account.Status.UNCONFIRMED, f.lifecycle.find("bob").orElseThrow().status());
    // the page shown again carries a working token
    r = admin.post("/users/disable", Map.of("username", "bob"));
    assertEquals(303, r.statusCode());
    assertEquals(Account.Status.DISABLED, f.lifecycle.find("bob").orElseThrow().status());
  }

  @Test
  void deletionHasAConfirmationStepAndIsRefusedWhileTheUserOwnsThings() throws Exception {
    Browser admin = adminAfterSetup();
    f.lifecycle.addByAdmin(new com.eucalyptus.clc.accounts.AccountForm("carol", "carol-pw-1", "carol-pw-1", "Carol",
        "carol@example.org", "", "", "", ""), false, "https://localhost");
    List<String> owned = new java.util.concurrent.CopyOnWriteArrayList<>(List.of("owns the non-empty bucket photos"));
    f.lifecycle.addResourceCheck(u -> u.equals("carol") ? owned : List.of());
    admin.get("/users/delete?username=carol");
    assertEquals("error: User carol cannot be deleted: owns the non-empty bucket photos.", admin.message());
    assertFalse(admin.lastBody.contains("delete-confirm-form"));
    HttpResponse<String> r = admin.post("/users/delete", Map.of("username", "carol"));
    assertEquals(409, r.statusCode());
    assertTrue(f.accounts.find("carol").isPresent());
    owned.clear();
    admin.get("/users/delete?username=carol");
    assertTrue(admin.lastBody.contains("id=\"delete-confirm-form\""));
    r = admin.post("/users/delete", Map.of("username", "carol"));
    assertEquals(303, r.statusCode());
    assertTrue(f.accounts.find("carol").isEmpty());
  }

  @Test
  void repeatedFailedLoginsAreSlowedDown() throws Exception {
    adminAfterSetup();
    Browser guesser = browser();
    for (int i = 0; i < 3; i++) {
      guesser.get("/login");
      assertEquals(200, guesser.post("/login", Map.of("username", "admin", "password", "guess" + i)).statusCode());
      assertEquals("error: Wrong user name or password.", guesser.message());
    }
    guesser.get("/login");
    HttpResponse<String> r = guesser.post("/login", Map.of("username", "admin", "password", "new-admin-pw"));
    assertEquals(429, r.statusCode(), "refused even with the right password while the delay runs");
    assertTrue(guesser.message().startsWith("error: Too many failed sign-ins. Wait 2 seconds"), guesser.message());
    f.clock.advance(java.time.Duration.ofSeconds(3));
    r = guesser.post("/login", Map.of("username", "admin", "password", "new-admin-pw"));
    assertEquals(303, r.statusCode());
  }

  @Test
  void imagesAreListedAndTheAdminDisablesThem() throws Exception {
    Browser admin = adminAfterSetup();
    images.add(new Images.Image("emi-12345678", "bucket/img.manifest.xml", "admin", "machine", "available", true, true));
    admin.get("/images");
    assertTrue(admin.lastBody.contains("<tr data-image=\"emi-12345678\">"));
    HttpResponse<String> r = admin.post("/images/disable", Map.of("imageId", "emi-12345678"));
    assertEquals(303, r.statusCode());
    assertFalse(images.all().get(0).enabled());
    admin.get("/images");
    assertTrue(admin.lastBody.contains("<td class=\"image-enabled\">no</td>"));
    assertTrue(images.visibleTo("someone").isEmpty());
  }

  @Test
  void editAccountChangePasswordAndRecoverIt() throws Exception {
    Browser admin = adminAfterSetup();
    admin.get("/credentials");
    Map<String, String> profile = new HashMap<>(Map.of("realName", "The <b>Admin</b>", "email", "admin@cloud.example",
        "telephone", "555-0000", "projectLeader", "", "affiliation", "", "projectDescription", ""));
    assertEquals(303, admin.post("/account", profile).statusCode(), admin.lastBody);
    admin.get("/credentials");
    assertEquals("info: Account information saved.", admin.message());
    assertTrue(admin.lastBody.contains("The &lt;b&gt;Admin&lt;/b&gt;"));
    profile.put("email", "broken");
    assertEquals(200, admin.post("/account", profile).statusCode());
    assertTrue(admin.message().startsWith("error: Please give a valid e-mail address"), admin.message());
    assertEquals("admin@cloud.example", f.accounts.find("admin").orElseThrow().email());

    Browser other = browser();
    other.get("/login");
    other.post("/login", Map.of("username", "admin", "password", "new-admin-pw"));
    admin.get("/credentials");
    assertEquals(200, admin.post("/password", Map.of("oldPassword", "wrong", "newPassword", "second-pw",
        "newPassword2", "second-pw")).statusCode());
    assertEquals("error: The current password is wrong.", admin.message());
    assertEquals(303, admin.post("/password", Map.of("oldPassword", "new-admin-pw", "newPassword", "second-pw",
        "newPassword2", "second-pw")).statusCode());
    assertEquals(200, admin.get("/credentials").statusCode(), "this browser stays logged in");
    assertEquals("/login", location(other.get("/credentials")), "other sessions end with the old password");

    Browser forgetful = browser();
    forgetful.get("/recover");
    assertEquals(303, forgetful.post("/recover", Map.of("username", "admin", "email", "admin@cloud.example")).statusCode());
    var mail = f.mail(1);
    assertEquals("Eucalyptus password recovery", mail.getSubject());
    String code = LifecycleFixture.code(mail, "recover");
    forgetful.get("/?action=recover&code=" + code);
    assertTrue(forgetful.lastBody.contains("id=\"reset-form\""));
    assertEquals(303, forgetful.post("/reset", Map.of("code", code, "password", "third-pw", "password2", "third-pw"))
        .statusCode());
    assertEquals("/login", location(admin.get("/credentials")), "a recovered password ends old sessions");
    forgetful.get("/login");
    assertEquals(303, forgetful.post("/login", Map.of("username", "admin", "password", "third-pw")).statusCode());
    assertEquals(404, browser().get("/?action=recover&code=" + code).statusCode(), "used up");
  }

  @Test
  void configurationEditsPropertiesClustersAndVmTypes() throws Exception {
    Browser admin = adminAfterSetup();
    admin.get("/configuration");
    Map<String, String> props = new HashMap<>(Map.of("walrus.max.buckets.per.user", "7", "mail.smtp.host", "mail.example",
        "cloud.default.kernel", "eki-1234ABCD"));
    assertEquals(303, admin.post("/configuration/properties", props).statusCode(), admin.lastBody);
    assertEquals("7", f.properties.get(SystemProperties.WALRUS_MAX_BUCKETS));
    assertEquals("mail.example", f.properties.get(SystemProperties.MAIL_HOST));
    assertEquals("eki-1234ABCD", f.properties.get(SystemProperties.DEFAULT_KERNEL));
    admin.get("/configuration");
    props = new HashMap<>(Map.of("walrus.max.buckets.per.user", "many", "cloud.region", "elsewhere"));
    assertEquals(200, admin.post("/configuration/properties", props).statusCode());
    assertTrue(admin.message().contains("must be a positive whole number"), admin.message());
    assertEquals("7", f.properties.get(SystemProperties.WALRUS_MAX_BUCKETS));
    assertEquals("eucalyptus", f.properties.get(SystemProperties.REGION), "nothing saved when one value is bad");

    assertEquals(303, admin.post("/configuration/clusters", Map.of("name", "cluster1", "host", "10.0.0.5", "port", "8774"))
        .statusCode());
    admin.get("/configuration");
    assertTrue(admin.lastBody.contains("<tr data-cluster=\"cluster1\">"));
    assertEquals(200, admin.post("/configuration/clusters", Map.of("name", "c2", "host", "h", "port", "99999")).statusCode());
    assertEquals(1, new Clusters(f.db).registered().size());
    assertEquals(303, admin.post("/configuration/clusters/delete", Map.of("name", "cluster1")).statusCode());
    assertTrue(new Clusters(f.db).registered().isEmpty());

    admin.get("/configuration");
    Map<String, String> vm = new HashMap<>();
    for (var v : new Clusters(f.db).vmTypes()) {
      vm.put("cpu." + v.name, String.valueOf(v.cpu));
      vm.put("memory." + v.name, String.valueOf(v.memory));
      vm.put("disk." + v.name, String.valueOf(v.disk));
    }
    vm.put("memory.m1.small", "256");
    assertEquals(303, admin.post("/configuration/vmtypes", vm).statusCode(), admin.lastBody);
    assertEquals(256, new Clusters(f.db).vmTypes().stream().filter(v -> v.name.equals("m1.small")).findFirst()
        .orElseThrow().memory);
  }

  /**
   * The address properties the Configuration tab labels: saved through the form, and a bad value
   * refused with the rule's message (the same rules as ModifyPropertyValue), nothing saved.
   */
  @Test
  void configurationSetsTheAddressPropertiesAndRefusesBadValues() throws Exception {
    Browser admin = adminAfterSetup();
    admin.get("/configuration");
    for (String label : new String[] {"Maximum public addresses per user",
        "Public addresses reserved for launches (dynamic addressing off)", "Dynamic public addressing (true/false)"}) {
      assertTrue(admin.lastBody.contains(">" + label + "</label>"), label);
    }
    Map<String, String> props = new HashMap<>(Map.of(SystemProperties.ADDRESSES_MAX_PER_USER, "3",
        SystemProperties.ADDRESSES_RESERVED, "0", SystemProperties.ADDRESSES_DYNAMIC, "false"));
    assertEquals(303, admin.post("/configuration/properties", props).statusCode(), admin.lastBody);
    assertEquals("3", f.properties.get(SystemProperties.ADDRESSES_MAX_PER_USER));
    assertEquals("0", f.properties.get(SystemProperties.ADDRESSES_RESERVED));
    assertEquals("false", f.properties.get(SystemProperties.ADDRESSES_DYNAMIC));
    admin.get("/configuration");
    assertTrue(admin.lastBody.contains("name=\"" + SystemProperties.ADDRESSES_DYNAMIC + "\" value=\"false\""),
        "the page shows the saved value");

    String[][] bad = {
        {SystemProperties.ADDRESSES_DYNAMIC, "flase", "must be true or false"},
        {SystemProperties.ADDRESSES_MAX_PER_USER, "five", "must be a whole number, 0 or more"},
        {SystemProperties.ADDRESSES_MAX_PER_USER, "-1", "must be a whole number, 0 or more"},
        {SystemProperties.ADDRESSES_RESERVED, "ten", "must be a whole number, 0 or more"}};
    for (String[] b : bad) {
      admin.get("/configuration");
      // a good change beside the bad one: nothing of the form is saved
      props = new HashMap<>(Map.of(b[0], b[1], SystemProperties.REGION, "elsewhere"));
      assertEquals(200, admin.post("/configuration/properties", props).statusCode(), b[0] + "=" + b[1]);
      assertEquals("error: The value of " + b[0] + " " + b[2] + ". Nothing was saved.", admin.message());
      assertTrue(admin.lastBody.contains("value=\"" + b[1] + "\""), "the form keeps what was typed");
    }
    assertEquals("3", f.properties.get(SystemProperties.ADDRESSES_MAX_PER_USER));
    assertEquals("0", f.properties.get(SystemProperties.ADDRESSES_RESERVED));
    assertEquals("false", f.properties.get(SystemProperties.ADDRESSES_DYNAMIC));
    assertEquals("eucalyptus", f.properties.get(SystemProperties.REGION));
  }

  /**
   * The volume limits (block storage) on the Configuration tab: saved through the form as
   * `euca_conf --set-property` would, and a bad value refused with the rule's message, nothing saved.
   */
  @Test
  void configurationSetsTheVolumeLimitsAndRefusesBadValues() throws Exception {
    Browser admin = adminAfterSetup();
    admin.get("/configuration");
    for (String label : new String[] {"Maximum volume size (GB)", "Space reserved for volumes (GB)"}) {
      assertTrue(admin.lastBody.contains(">" + label + "</label>"), label);
    }
    Map<String, String> props = new HashMap<>(Map.of(SystemProperties.VOLUME_MAX_SIZE_GB, "4",
        SystemProperties.VOLUMES_MAX_TOTAL_GB, "12"));
    assertEquals(303, admin.post("/configuration/properties", props).statusCode(), admin.lastBody);
    assertEquals("4", f.properties.get(SystemProperties.VOLUME_MAX_SIZE_GB));
    assertEquals("12", f.properties.get(SystemProperties.VOLUMES_MAX_TOTAL_GB));
    for (String[] b : new String[][] {{SystemProperties.VOLUME_MAX_SIZE_GB, "0"},
        {SystemProperties.VOLUMES_MAX_TOTAL_GB, "lots"}}) {
      admin.get("/configuration");
      props = new HashMap<>(Map.of(b[0], b[1], SystemProperties.REGION, "elsewhere"));
      assertEquals(200, admin.post("/configuration/properties", props).statusCode(), b[0] + "=" + b[1]);
      assertEquals("error: The value of " + b[0] + " must be a positive whole number. Nothing was saved.", admin.message());
    }
    assertEquals("4", f.properties.get(SystemProperties.VOLUME_MAX_SIZE_GB));
    assertEquals("12", f.properties.get(SystemProperties.VOLUMES_MAX_TOTAL_GB));
    assertEquals("eucalyptus", f.properties.get(SystemProperties.REGION));
  }

  /** "eucalyptus" marks the system's addresses: neither a sign-up nor the administrator's Add user may take it. */
  @Test
  void theReservedUserNameIsRefusedBySignUpAndAddUser() throws Exception {
    Browser admin = adminAfterSetup();
    Browser eve = browser();
    eve.get("/apply");
    assertEquals(200, eve.post("/apply", application("eucalyptus", "Eve")).statusCode());
    assertEquals("error: The user name eucalyptus is reserved for the system. Please choose another.", eve.message());
    admin.get("/users/add");
    assertEquals(200, admin.post("/users/add", application("eucalyptus", "Eve")).statusCode());
    assertEquals("error: The user name eucalyptus is reserved for the system. Please choose another.", admin.message());
    assertTrue(f.accounts.find("eucalyptus").isEmpty());
  }

  /**
   * Every form on every page carries the session's CSRF token, every POST URL is the action of
   * some form, and a POST to any of them without the token is refused with 403 and the message,
   * changing nothing (users, passwords, codes, properties, clusters, VM types, images).
   */
  @Test
  void everyFormCarriesTheCsrfTokenAndEveryPostWithoutItChangesNothing() throws Exception {
    Map<String, String> formsByAction = new java.util.TreeMap<>();
    Browser admin = browser();
    admin.get("/login");
    admin.post("/login", Map.of("username", "admin", "password", "admin"));
    collectForms(admin, "/setup", formsByAction);
    assertEquals(403, admin.postAsIs("/setup", Map.of("password", "new-admin-pw", "password2", "new-admin-pw",
        "email", "admin@cloud.example", "walrusUrl", "http://localhost:8773/services/Walrus")).statusCode());
    assertEquals("error: " + com.eucalyptus.clc.console.web.ConsoleServlet.CSRF_REFUSED, admin.message());
    assertEquals("", f.properties.get(SystemProperties.ADMIN_EMAIL), "the setup was done without a token");
    assertEquals(303, admin.post("/setup", Map.of("password", "new-admin-pw", "password2", "new-admin-pw",
        "email", "admin@cloud.example", "walrusUrl", "http://localhost:8773/services/Walrus")).statusCode());

    // something for every button to act on: a pending, an unconfirmed and a disabled user, images, a cluster
    f.lifecycle.apply(new com.eucalyptus.clc.accounts.AccountForm("penny", "penny-pw-1", "penny-pw-1", "Penny",
        "penny@example.org", "", "", "", ""), "https://localhost");
    String approve = LifecycleFixture.code(mailTo(1, "admin@cloud.example"), "approve");
    String reject = LifecycleFixture.code(mailTo(1, "admin@cloud.example"), "reject");
    f.lifecycle.addByAdmin(new com.eucalyptus.clc.accounts.AccountForm("uma", "uma-pw-12", "uma-pw-12", "Uma",
        "uma@example.org", "", "", "", ""), false, "https://localhost");
    String confirm = LifecycleFixture.code(mailTo(2, "uma@example.org"), "confirm");
    f.lifecycle.addByAdmin(new com.eucalyptus.clc.accounts.AccountForm("dora", "dora-pw-12", "dora-pw-12", "Dora",
        "dora@example.org", "", "", "", ""), false, "https://localhost");
    f.lifecycle.confirm(LifecycleFixture.code(mailTo(3, "dora@example.org"), "confirm"), "dora", "dora-pw-12");
    f.lifecycle.setEnabled("admin", "dora", false);
    f.lifecycle.requestRecovery("admin", "admin@cloud.example", "https://localhost");
    String recover = LifecycleFixture.code(mailTo(4, "admin@cloud.example"), "recover");
    images.add(new Images.Image("emi-00000001", "b/one.manifest.xml", "admin", "machine", "available", true, true));
    images.add(new Images.Image("emi-00000002", "b/two.manifest.xml", "admin", "machine", "available", false, true));
    new Clusters(f.db).register("cluster1", "10.0.0.5", 8774);

    for (String page : List.of("/credentials", "/images", "/extras", "/users", "/users/add", "/users/delete?username=uma",
        "/configuration")) {
      collectForms(admin, page, formsByAction);
    }
    Browser anonymous = browser();
    for (String page : List.of("/login", "/apply", "/recover", "/?action=approve&code=" + approve,
        "/?action=reject&code=" + reject, "/?action=confirm&code=" + confirm, "/?action=recover&code=" + recover)) {
      collectForms(anonymous, page, formsByAction);
    }
    Routes routes = ConsoleServer.routes(null);
    assertEquals(new java.util.TreeSet<>(routes.postPaths()), new java.util.TreeSet<>(formsByAction.keySet()),
        "every POST URL has a form, and every form posts to a POST URL");

    // every field any of these forms has, filled so that the action would succeed with a token
    Map<String, String> fields = new HashMap<>(Map.of("username", "penny", "code", approve, "password", "new-pw-123",
        "password2", "new-pw-123", "oldPassword", "new-admin-pw", "newPassword", "new-pw-123", "newPassword2",
        "new-pw-123", "imageId", "emi-00000001", "name", "cluster1"));
    fields.putAll(Map.of("host", "10.9.9.9", "port", "9999", "realName", "Changed", "email", "changed@example.org",
        "mail.smtp.host", "evil.example", "memory.m1.small", "1", "walrusUrl", "http://evil:8773/services/Walrus"));
    String before = state();
    for (String action : formsByAction.keySet()) {
      if (action.equals("/setup")) {
        continue; // refused above, before the setup was done (afterwards /setup only leads on)
      }
      Map<String, String> form = new HashMap<>(fields);
      if (action.equals("/users/disable") || action.equals("/users/delete")) {
        form.put("username", "uma");
      } else if (action.equals("/users/enable")) {
        form.put("username", "dora");
      } else if (action.equals("/confirm")) {
        form.putAll(Map.of("code", confirm, "username", "uma", "password", "uma-pw-12"));
      } else if (action.equals("/reject")) {
        form.put("code", reject);
      } else if (action.equals("/reset")) {
        form.put("code", recover);
      } else if (action.equals("/images/enable")) {
        form.put("imageId", "emi-00000002");
      } else if (action.equals("/login")) {
        form.putAll(Map.of("username", "admin", "password", "new-admin-pw"));
      }
      Browser who = action.equals("/login") ? browser() : admin;
      who.get("/login");
      HttpResponse<String> r = who.postAsIs(action, form);
      assertEquals(403, r.statusCode(), action + " without a token");
      assertEquals("error: " + com.eucalyptus.clc.console.web.ConsoleServlet.CSRF_REFUSED, who.message(), action);
      assertTrue(who.csrf().matches("[0-9a-f]{64}"), action + ": the form is shown again with a working token");
      assertEquals(before, state(), action + " without a token changed something");
    }
    assertEquals(200, admin.get("/users").statusCode(), "still logged in: the logout without a token was refused too");
    assertEquals(4, f.smtp.getReceivedMessages().length, "nobody was mailed");
    // with the token the same form works: the refusals were the token's doing
    assertEquals(303, admin.post("/users/disable", Map.of("username", "uma")).statusCode());
    assertEquals(Account.Status.DISABLED, f.lifecycle.find("uma").orElseThrow().status());
  }

  /** Once {@code count} mails arrived, the last one to {@code address} (GreenMail lists them by mailbox). */
  private jakarta.mail.internet.MimeMessage mailTo(int count, String address) throws Exception {
    f.mail(count);
    jakarta.mail.internet.MimeMessage last = null;
    for (jakarta.mail.internet.MimeMessage m : f.smtp.getReceivedMessages()) {
      if (m.getRecipients(jakarta.mail.Message.RecipientType.TO)[0].toString().equals(address)) {
        last = m;
      }
    }
    assertTrue(last != null, "no mail to " + address);
    return last;
  }

  private static void collectForms(Browser b, String page, Map<String, String> formsByAction) throws Exception {
    HttpResponse<String> r = b.get(page);
    assertEquals(200, r.statusCode(), page + ": " + b.message());
    java.util.regex.Matcher form = java.util.regex.Pattern.compile("<form[^>]*action=\"([^\"]*)\"[^>]*>(.*?)</form>",
        java.util.regex.Pattern.DOTALL).matcher(r.body());
    int n = 0;
    while (form.find()) {
      n++;
      String action = form.group(1);
      assertTrue(form.group(0).contains("method=\"post\""), page + ": form to " + action + " is not a POST");
      assertTrue(form.group(2).contains("<input type=\"hidden\" name=\"csrf\" value=\"" + b.csrf() + "\">"),
          page + ": the form to " + action + " has no CSRF token of this session");
      formsByAction.putIfAbsent(action, page);
    }
    assertTrue(n > 0 || page.equals("/extras"), page + " has no form");
  }

  /** What a refused form must leave alone: users and their passwords, codes, properties, clusters, VM types, images. */
  private String state() {
    return f.db.tx(s -> {
      StringBuilder b = new StringBuilder();
      for (var u : s.createQuery("from UserEntity order by name", com.eucalyptus.clc.persistence.UserEntity.class)
          .getResultList()) {
        b.append(u.name).append(' ').append(u.email).append(' ').append(u.enabled).append(' ').append(u.confirmed)
            .append(' ').append(u.passwordHash).append('\n');
      }
      b.append(s.createQuery("select count(c) from OneTimeCodeEntity c", Long.class).getSingleResult()).append('\n');
      return b.toString();
    }) + f.lifecycle.list() + f.properties.all() + new Clusters(f.db).registered().stream().map(c -> c.name + "@" + c.host
        + ":" + c.port).toList() + new Clusters(f.db).vmTypes().stream().map(v -> v.name + v.cpu + "/" + v.memory + "/"
        + v.disk).toList() + images.all();
  }

  private static Map<String, String> unzip(byte[] zip) throws Exception {
    Map<String, String> out = new HashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        out.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.US_ASCII));
      }
    }
    return out;
  }
}
