package com.eucalyptus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.itests.support.CloudInstallation;
import com.eucalyptus.itests.support.CloudInstallation.Credentials;
import com.eucalyptus.itests.support.ConsolePages;
import com.eucalyptus.itests.support.Ec2Clients;
import com.eucalyptus.itests.support.HeadlessChromium;
import com.eucalyptus.itests.support.ImageBundles;
import com.eucalyptus.itests.support.LogsOnFailure;
import com.eucalyptus.itests.support.Shell;
import com.eucalyptus.itests.support.SmtpSink;
import com.eucalyptus.itests.support.SmtpSink.Mail;
import com.eucalyptus.itests.support.WalrusCloud;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The web console end to end, as the administrator and a user see it in headless Chromium: the
 * first-time setup, an application mailed to the admin (a real SMTP server, GreenMail, receives
 * it), approval through the mailed link, the user's confirmation, the credentials zip and its keys
 * used with python3-boto on the EC2 API and on Walrus, and the keys refused once the admin disables
 * the user (EC2 AuthFailure, Walrus AccessDenied) or deletes one (Walrus InvalidAccessKeyId), and
 * working again once enabled. Only the CLC runs: the console, accounts, EC2 API and Walrus live in
 * it. Screenshots of every tab go to itests/target/screenshots/console-*.png (the last test checks
 * they are there).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {
  static final String ADMIN_PASSWORD = "Admin-pass-1";
  static final String ADMIN_EMAIL = "admin@cloud.test";
  static final String USER = "alice";
  static final String USER_PASSWORD = "Alice-pass-1";
  static final String USER_NEW_PASSWORD = "Alice-recovered-2";
  static final String USER_EMAIL = "alice@users.test";
  static final Duration MAIL_WAIT = Duration.ofSeconds(30);
  static final String DISABLED_ON_WALRUS = "<Message>The account of this access key is disabled.</Message>";
  /** Every tab's screenshot, as the user (three tabs) and as the admin (five). */
  static final List<String> TAB_SCREENSHOTS = List.of("console-06-user-credentials", "console-09-user-images",
      "console-10-user-extras", "console-11-admin-credentials", "console-11-admin-images", "console-11-admin-extras",
      "console-11-admin-users", "console-11-admin-configuration");

  static CloudInstallation cloud;
  static SmtpSink smtp;
  static HeadlessChromium adminBrowser;
  static HeadlessChromium userBrowser;
  static ConsolePages admin;
  static ConsolePages user;
  static Path screenshots;
  static String approveLink;
  static String confirmLink;
  static Path credentialsDir;
  static Credentials userKeys;
  static String imageId;

  @RegisterExtension
  static LogsOnFailure logs = new LogsOnFailure(() -> cloud);

  @BeforeAll
  static void bringUpCloudMailAndBrowsers() {
    screenshots = Path.of(System.getProperty("euca.source", "..")).toAbsolutePath().normalize()
        .resolve("itests/target/screenshots");
    smtp = new SmtpSink();
    cloud = CloudInstallation.install("console", Map.of());
    try {
      cloud.startCloudOnly();
    } catch (Throwable t) {
      throw new AssertionError(t.getMessage() + "\n" + cloud.tailLogs(), t);
    }
    adminBrowser = new HeadlessChromium(screenshots);
    admin = new ConsolePages(adminBrowser);
    userBrowser = new HeadlessChromium(screenshots);
    user = new ConsolePages(userBrowser);
  }

  @AfterAll
  static void tearDown() {
    for (AutoCloseable c : new AutoCloseable[] {adminBrowser, userBrowser, cloud, smtp}) {
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
  void firstLoginAsAdminForcesNewPasswordEmailAndWalrusUrl() {
    admin.login("admin", "admin");
    adminBrowser.find(By.id("setup-form"));
    assertTrue(adminBrowser.url().endsWith("/setup"), adminBrowser.url());
    // nothing else opens before the setup is done
    admin.open("/credentials");
    adminBrowser.find(By.id("setup-form"));
    assertTrue(adminBrowser.url().endsWith("/setup"), "a tab opened before setup: " + adminBrowser.url());
    String walrus = adminBrowser.find(By.id("walrusUrl")).getAttribute("value");
    assertEquals("http://127.0.0.1:8773/services/Walrus", walrus, "the Walrus URL offered for confirmation");
    adminBrowser.screenshot("console-01-first-time-setup");

    // the default password cannot be kept
    admin.fill(Map.of("password", "admin", "password2", "admin", "email", ADMIN_EMAIL));
    admin.click("setup-submit");
    assertEquals("error", admin.messageKind(), admin.message());
    assertTrue(adminBrowser.url().endsWith("/setup"), adminBrowser.url());

    admin.fill(Map.of("password", ADMIN_PASSWORD, "password2", ADMIN_PASSWORD, "email", ADMIN_EMAIL));
    admin.click("setup-submit");
    adminBrowser.awaitText("Setup complete.");
    assertTrue(adminBrowser.url().endsWith("/configuration"), adminBrowser.url());
    assertEquals("info", admin.messageKind());

    String props = cloud.eucaConf("--list-properties").assertOk().stdout();
    assertTrue(props.contains("admin.email\t" + ADMIN_EMAIL), props);
    assertTrue(props.contains("cloud.url\thttp://127.0.0.1:8773\n"), props);

    // the old password no longer works, the new one does
    admin.logout();
    admin.login("admin", "admin");
    assertEquals("Wrong user name or password.", admin.message());
    assertEquals(null, admin.whoami());
    admin.login("admin", ADMIN_PASSWORD);
    assertTrue(admin.whoami() != null && admin.whoami().contains("admin"), "logged in as " + admin.whoami());
  }

  @Test
  @Order(2)
  void adminPointsTheMailSettingAtTheSmtpServerInTheConfigurationTab() {
    // the default is the guide's: an SMTP server on the head node's port 25
    String defaults = cloud.eucaConf("--list-properties").assertOk().stdout();
    assertTrue(defaults.contains("mail.smtp.host\tlocalhost\n") && defaults.contains("mail.smtp.port\t25\n"), defaults);
    admin.tab("configuration");
    adminBrowser.find(By.id("properties-form"));
    admin.fill(Map.of("mail.smtp.host", "127.0.0.1", "mail.smtp.port", String.valueOf(smtp.port())));
    admin.click("properties-submit");
    adminBrowser.awaitText("Configuration saved.");
    adminBrowser.screenshot("console-02-admin-configuration");
    String props = cloud.eucaConf("--list-properties").assertOk().stdout();
    assertTrue(props.contains("mail.smtp.host\t127.0.0.1\n"), props);
    assertTrue(props.contains("mail.smtp.port\t" + smtp.port() + "\n"), props);
  }

  @Test
  @Order(3)
  void aUserAppliesAndTheAdminIsMailedAcceptAndRejectLinks() {
    user.open("/login");
    user.click("apply-link");
    userBrowser.find(By.id("apply-form"));
    user.fill(Map.of("username", USER, "password", USER_PASSWORD, "password2", USER_PASSWORD,
        "realName", "Alice Liddell", "email", USER_EMAIL, "telephone", "+1 805 555 0100",
        "projectLeader", "Prof. Dodgson", "affiliation", "Christ Church", "projectDescription",
        "Counting rabbits on many virtual machines."));
    userBrowser.screenshot("console-03-apply");
    user.click("apply-submit");
    userBrowser.awaitText("Your application was sent to the administrator");
    assertTrue(userBrowser.url().endsWith("/login"), userBrowser.url());

    Mail mail = smtp.await(ADMIN_EMAIL, "Eucalyptus account application: " + USER, MAIL_WAIT);
    for (String field : List.of(USER, "Alice Liddell", USER_EMAIL, "+1 805 555 0100", "Prof. Dodgson", "Christ Church",
        "Counting rabbits on many virtual machines.")) {
      assertTrue(mail.body().contains(field), "the admin's mail lacks " + field + ":\n" + mail.body());
    }
    approveLink = mail.link("action=approve");
    String rejectLink = mail.link("action=reject");
    assertTrue(approveLink.matches("https://127\\.0\\.0\\.1:8443/\\?action=approve&code=[0-9a-f]{64}"), approveLink);
    assertTrue(rejectLink.matches("https://127\\.0\\.0\\.1:8443/\\?action=reject&code=[0-9a-f]{64}"), rejectLink);

    admin.open("/users");
    assertEquals("pending", admin.userStatus(USER));
  }

  @Test
  @Order(4)
  void adminApprovesThroughTheMailedLinkAndTheApplicantIsMailed() {
    admin.open(approveLink);
    String page = adminBrowser.find(By.id("application")).getText();
    for (String field : List.of("Alice Liddell", USER_EMAIL, "+1 805 555 0100", "Prof. Dodgson", "Christ Church",
        "Counting rabbits on many virtual machines.")) {
      assertTrue(page.contains(field), "the application page lacks " + field + ":\n" + page);
    }
    adminBrowser.screenshot("console-04-approve-from-mail");
    admin.click("approve-submit");
    adminBrowser.awaitText("User " + USER + " was approved");

    Mail decision = smtp.await(USER_EMAIL, "Your Eucalyptus account was approved", MAIL_WAIT);
    confirmLink = decision.link("action=confirm");
    assertTrue(confirmLink.matches("https://127\\.0\\.0\\.1:8443/\\?action=confirm&code=[0-9a-f]{64}"), confirmLink);

    admin.open("/users");
    assertEquals("unconfirmed", admin.userStatus(USER));
    // a mailed code works once
    admin.open(approveLink);
    assertTrue(admin.message().contains("This link is not valid"), admin.message());
  }

  @Test
  @Order(5)
  void theUserConfirmsLogsInAndDownloadsTheCredentialsZip() throws Exception {
    // approved but not confirmed: the sign-up password does not open the console yet
    user.login(USER, USER_PASSWORD);
    assertEquals("Your account is not active yet: it must be approved, and then confirmed with the link mailed to you.",
        user.message());
    assertEquals(null, user.whoami());
    user.open(confirmLink);
    userBrowser.find(By.id("confirm-form"));
    user.fill(Map.of("username", USER, "password", USER_PASSWORD));
    userBrowser.screenshot("console-05-confirm");
    user.click("confirm-submit");
    userBrowser.awaitText("Your account is now active.");
    assertTrue(userBrowser.url().endsWith("/credentials"), userBrowser.url());
    assertTrue(user.whoami().contains(USER), user.whoami());
    userBrowser.screenshot("console-06-user-credentials");
    // one "Credentials" heading (notes/console-bugs.md B1), the guide's sections below it
    List<String> headings = userBrowser.driver().findElements(By.cssSelector("h1, h2, h3")).stream()
        .map(org.openqa.selenium.WebElement::getText).toList();
    assertEquals(1, headings.stream().filter("Credentials"::equalsIgnoreCase).count(), headings.toString());

    // the query keys: hidden until asked for
    assertFalse(userBrowser.find(By.id("secret-key")).isDisplayed(), "secret key shown before asking");
    user.clickInPage("show-keys");
    String accessKey = userBrowser.find(By.id("access-key")).getText();
    String secretKey = userBrowser.find(By.id("secret-key")).getText();
    assertTrue(userBrowser.find(By.id("secret-key")).isDisplayed());
    userBrowser.screenshot("console-07-user-credentials-query-keys");
    user.clickInPage("show-keys");
    assertFalse(userBrowser.find(By.id("secret-key")).isDisplayed(), "the keys stay shown after hiding them");

    user.clickInPage("download-credentials");
    Path zip = userBrowser.awaitDownload("euca2-" + USER + "-x509.zip");
    // named creds-USER, as ImageBundles expects of a credentials folder
    credentialsDir = Files.createDirectories(Files.createTempDirectory("console-").resolve("creds-" + USER));
    List<String> entries = unzip(zip, credentialsDir);
    assertTrue(entries.contains("eucarc") && entries.contains("cloud-cert.pem"), entries.toString());
    assertEquals(5, entries.size(), "eucarc, euca2rc, cloud-cert.pem, the key and the certificate: " + entries);
    String key = entries.stream().filter(e -> e.matches("euca2-" + USER + "-[0-9a-f]{8}-pk\\.pem")).findFirst()
        .orElseThrow(() -> new AssertionError("no private key in " + entries));
    String cert = entries.stream().filter(e -> e.matches("euca2-" + USER + "-[0-9a-f]{8}-cert\\.pem")).findFirst()
        .orElseThrow(() -> new AssertionError("no certificate in " + entries));
    // the certificate is the cloud CA's and belongs to the key next to it
    Shell.run(List.of("openssl", "verify", "-CAfile", "cloud-cert.pem", cert), Map.of(), credentialsDir,
        Duration.ofSeconds(30)).assertOk();
    String certKey = Shell.run(List.of("openssl", "x509", "-noout", "-pubkey", "-in", cert), Map.of(), credentialsDir,
        Duration.ofSeconds(30)).assertOk().stdout();
    String privKey = Shell.run(List.of("openssl", "pkey", "-pubout", "-in", key), Map.of(), credentialsDir,
        Duration.ofSeconds(30)).assertOk().stdout();
    assertEquals(certKey, privKey, "the certificate's public key is the zip's private key's");

    userKeys = CloudInstallation.readEucarc(credentialsDir);
    assertEquals(accessKey, userKeys.accessKey(), "the access key shown is the eucarc's");
    assertEquals(secretKey, userKeys.secretKey(), "the secret key shown is the eucarc's");
    assertEquals("http://127.0.0.1:8773/services/Eucalyptus", userKeys.ec2Url());
    assertEquals("http://127.0.0.1:8773/services/Walrus", userKeys.s3Url());
  }

  @Test
  @Order(6)
  void theUserRecoversThePasswordThroughTheMailedLink() {
    user.logout();
    user.open("/login");
    user.click("recover-link");
    userBrowser.find(By.id("recover-form"));
    // a wrong e-mail address gets the same answer, and no mail
    user.fill(Map.of("username", USER, "email", "someone-else@users.test"));
    user.click("recover-submit");
    String same = "If the user name and e-mail address match an account, a message with a link to set a new password was sent.";
    userBrowser.awaitText(same);
    user.open("/recover");
    user.fill(Map.of("username", USER, "email", USER_EMAIL));
    userBrowser.screenshot("console-08-recover");
    user.click("recover-submit");
    userBrowser.awaitText(same);

    String link = smtp.await(USER_EMAIL, "Eucalyptus password recovery", MAIL_WAIT).link("action=recover");
    assertTrue(link.matches("https://127\\.0\\.0\\.1:8443/\\?action=recover&code=[0-9a-f]{64}"), link);
    assertTrue(smtp.to("someone-else@users.test").isEmpty(), "mail went to an address that is not the account's");
    user.open(link);
    userBrowser.find(By.id("reset-form"));
    user.fill(Map.of("password", USER_NEW_PASSWORD, "password2", USER_NEW_PASSWORD));
    user.click("reset-submit");
    userBrowser.awaitText("Your password was changed; please log in.");
    // the link is used up; the new password works
    user.open(link);
    assertTrue(user.message().startsWith("This link is not valid"), user.message());
    user.login(USER, USER_NEW_PASSWORD);
    assertTrue(user.whoami() != null && user.whoami().contains(USER), "logged in as " + user.whoami());
  }

  @Test
  @Order(9)
  void theUserSeesThreeTabsAndEveryOneOpens() {
    assertFalse(userBrowser.present(By.id("tab-users")), "a user has no Users tab");
    assertFalse(userBrowser.present(By.id("tab-configuration")), "a user has no Configuration tab");
    user.tab("images");
    userBrowser.find(By.id("page-title"));
    assertTrue(userBrowser.url().endsWith("/images"), userBrowser.url());
    assertEquals("alice-images/rabbit.img.manifest.xml", userBrowser.find(
        By.cssSelector("tr[data-image='" + imageId + "'] td.image-location")).getText());
    assertEquals(USER, userBrowser.find(By.cssSelector("tr[data-image='" + imageId + "'] td.image-owner")).getText());
    assertFalse(userBrowser.present(By.id("disable-image-" + imageId)), "a user is offered the admin's image button");
    userBrowser.screenshot("console-09-user-images");
    user.tab("extras");
    for (String list : List.of("extras-images", "extras-tools")) {
      List<org.openqa.selenium.WebElement> links = userBrowser.driver().findElements(By.cssSelector("#" + list + " a[href]"));
      assertFalse(links.isEmpty(), "no links in #" + list);
      links.forEach(a -> assertTrue(a.getAttribute("href").startsWith("https://"), a.getAttribute("href")));
    }
    userBrowser.screenshot("console-10-user-extras");
    user.tab("credentials");
    userBrowser.find(By.id("download-form"));

    // the account information is the user's to edit (not the login); the keys stay as they were
    String accessKey = userKeys.accessKey();
    userBrowser.find(By.id("telephone")).clear();
    user.fill(Map.of("telephone", "+44 1865 276150", "affiliation", "Looking-Glass House"));
    user.click("account-submit");
    userBrowser.awaitText("Account information saved.");
    String info = userBrowser.find(By.id("account-info")).getText();
    assertTrue(info.contains("+44 1865 276150") && info.contains("Looking-Glass House") && info.contains("Alice Liddell"), info);
    user.clickInPage("show-keys");
    assertEquals(accessKey, userBrowser.find(By.id("access-key")).getText(), "editing the account changed the keys");
  }

  @Test
  @Order(7)
  void theCredentialsWorkWithBotoOnTheEc2Api() {
    // boto 2 signs with v2 as euca2ools did (its v4 takes the service name from the host name,
    // "127" for an address); awscli signs with v4
    Shell.Result boto = Ec2Clients.boto(userKeys.ec2Url(), userKeys, "2", "raw", "DescribeAvailabilityZones");
    assertTrue(boto.exitCode() == 0 && boto.stdout().startsWith("200\n")
        && boto.stdout().contains("DescribeAvailabilityZonesResponse"), "boto: " + boto.all());
    Ec2Clients.aws(userKeys.ec2Url(), userKeys, "ec2", "describe-availability-zones").assertOk();
  }

  @Test
  @Order(8)
  void theCredentialsWorkWithBotoOnWalrusAndTheEuca2ools() throws IOException {
    Ec2Clients.botoS3(userKeys.s3Url(), userKeys, "mb", "alice-bucket").assertOk();
    Path object = Files.writeString(credentialsDir.resolve("rabbits.txt"), "one rabbit, two rabbits\n");
    Ec2Clients.botoS3(userKeys.s3Url(), userKeys, "put", "alice-bucket", "rabbits.txt", object.toString()).assertOk();
    String buckets = Ec2Clients.botoS3(userKeys.s3Url(), userKeys, "buckets").assertOk().stdout();
    assertTrue(buckets.lines().anyMatch("alice-bucket"::equals), buckets);
    // the same credentials bundle, upload and register an image with the euca2ools (for the Images tab)
    Path raw = WalrusCloud.randomFile(credentialsDir.getParent().resolve("raw"), "rabbit.img", 200_000, 7);
    imageId = ImageBundles.bundleUploadRegister(cloud, credentialsDir, credentialsDir.getParent(), raw, "alice-images",
        "-r x86_64");
    assertTrue(imageId.startsWith("emi-"), imageId);
  }

  @Test
  @Order(10)
  void theAdminSeesEveryTab() {
    for (String tab : List.of("credentials", "images", "extras", "users", "configuration")) {
      admin.tab(tab);
      adminBrowser.find(By.id("page-title"));
      assertTrue(adminBrowser.url().endsWith("/" + tab), adminBrowser.url());
      adminBrowser.screenshot("console-11-admin-" + tab);
    }
  }

  @Test
  @Order(11)
  void theAdminDisablesAndEnablesAnImageInTheImagesTab() {
    admin.tab("images");
    assertEquals("yes", adminBrowser.find(By.cssSelector("tr[data-image='" + imageId + "'] td.image-enabled")).getText());
    admin.click("disable-image-" + imageId);
    adminBrowser.awaitText("Image " + imageId + " was disabled.");
    assertEquals("no", adminBrowser.find(By.cssSelector("tr[data-image='" + imageId + "'] td.image-enabled")).getText());
    adminBrowser.screenshot("console-11-admin-images-disabled");
    // the owner no longer finds it among the images to run; the EC2 API says it is disabled
    user.tab("images");
    assertFalse(userBrowser.present(By.cssSelector("tr[data-image='" + imageId + "']")), "a disabled image is offered");
    Shell.Result d = Ec2Clients.boto(userKeys.ec2Url(), userKeys, "2", "raw", "DescribeImages", "ImageId.1=" + imageId);
    assertTrue(d.stdout().contains("<imageState>disabled</imageState>"), d.all());

    admin.click("enable-image-" + imageId);
    adminBrowser.awaitText("Image " + imageId + " was enabled.");
    user.tab("images");
    assertTrue(userBrowser.present(By.cssSelector("tr[data-image='" + imageId + "']")), "the enabled image is not listed");
    d = Ec2Clients.boto(userKeys.ec2Url(), userKeys, "2", "raw", "DescribeImages", "ImageId.1=" + imageId);
    assertTrue(d.stdout().contains("<imageState>available</imageState>"), d.all());
  }

  @Test
  @Order(12)
  void theAdminDisablesTheUserAndTheSameCallsFail() {
    admin.tab("users");
    assertEquals("active", admin.userStatus(USER));
    admin.click("disable-user-" + USER);
    adminBrowser.awaitText("User " + USER + " was disabled.");
    assertEquals("disabled", admin.userStatus(USER));
    adminBrowser.screenshot("console-12-admin-users-disabled");

    String users = cloud.eucaConf("--list-users").assertOk().stdout();
    assertTrue(users.lines().anyMatch(l -> l.startsWith(USER + "\t") && l.endsWith("\tfalse")), users);
    Shell.Result boto = Ec2Clients.boto(userKeys.ec2Url(), userKeys, "2", "raw", "DescribeAvailabilityZones");
    assertTrue(boto.stdout().startsWith("401\n") && boto.stdout().contains("<Code>AuthFailure</Code>"), "boto: " + boto.all());
    Shell.Result aws = Ec2Clients.aws(userKeys.ec2Url(), userKeys, "ec2", "describe-availability-zones");
    assertTrue(aws.exitCode() != 0 && aws.stderr().contains("(AuthFailure)"), "awscli: " + aws.all());
    // Walrus: AccessDenied saying why (an unknown or deleted key is InvalidAccessKeyId, see below)
    Shell.Result s3 = Ec2Clients.botoS3(userKeys.s3Url(), userKeys, "buckets");
    assertTrue(s3.exitCode() == 3 && s3.stdout().equals("S3ERROR\t403\tAccessDenied\n"), s3.all());
    assertTrue(s3.stderr().contains(DISABLED_ON_WALRUS), s3.all());
    Path object = credentialsDir.resolve("rabbits.txt");
    Shell.Result put = Ec2Clients.botoS3(userKeys.s3Url(), userKeys, "put", "alice-bucket", "more.txt", object.toString());
    assertEquals("S3ERROR\t403\tAccessDenied\n", put.stdout(), put.all());

    // the console: the open session ends at once, and the password no longer logs in
    user.open("/credentials");
    assertEquals("Your account is no longer active; you were logged out.", user.message());
    assertEquals(null, user.whoami());
    user.login(USER, USER_NEW_PASSWORD);
    assertEquals("Your account is disabled; please contact the administrator.", user.message());
    assertEquals(null, user.whoami());
  }

  @Test
  @Order(13)
  void theAdminAddsAUserAndDeletesItAfterAConfirmationStep() {
    admin.tab("users");
    admin.click("add-user");
    adminBrowser.find(By.id("add-user-form"));
    admin.fill(Map.of("username", "bob", "password", "Bob-pass-1", "password2", "Bob-pass-1",
        "realName", "Bob Builder", "email", "bob@users.test"));
    admin.click("add-user-submit");
    adminBrowser.awaitText("User bob was added; a confirmation link was mailed to them.");
    assertEquals("unconfirmed", admin.userStatus("bob"));
    String confirm = smtp.await("bob@users.test", "Your Eucalyptus account was approved", MAIL_WAIT).link("action=confirm");
    // until bob confirms, his keys do not work (the admin can fetch them with euca_conf)
    Credentials bobKeys = CloudInstallation.readEucarc(cloud.credentials("bob"));
    Shell.Result ec2 = Ec2Clients.boto(bobKeys.ec2Url(), bobKeys, "2", "raw", "DescribeAvailabilityZones");
    assertTrue(ec2.stdout().startsWith("401\n") && ec2.stdout().contains("<Code>AuthFailure</Code>"), ec2.all());
    Shell.Result s3 = Ec2Clients.botoS3(bobKeys.s3Url(), bobKeys, "buckets");
    assertEquals("S3ERROR\t403\tAccessDenied\n", s3.stdout(), s3.all());
    assertTrue(s3.stderr().contains("<Message>The account of this access key is not active yet: it must be approved and"
        + " confirmed.</Message>"), s3.all());

    admin.click("delete-user-bob");
    adminBrowser.find(By.id("delete-confirm-form"));
    adminBrowser.screenshot("console-13-admin-delete-confirmation");
    admin.open("/users");
    assertEquals("unconfirmed", admin.userStatus("bob"), "the confirmation step deleted already");
    admin.click("delete-user-bob");
    admin.click("delete-confirm");
    adminBrowser.awaitText("User bob was deleted.");
    assertFalse(adminBrowser.present(By.cssSelector("tr[data-user='bob']")), "bob still listed");
    String users = cloud.eucaConf("--list-users").assertOk().stdout();
    assertFalse(users.lines().anyMatch(l -> l.startsWith("bob\t")), users);
    // the deleted user's mailed link is dead
    user.open(confirm);
    assertTrue(user.message().startsWith("This link is not valid"), "confirm link of a deleted user: " + user.message());

    // alice still owns the non-empty bucket made on Walrus: refused, nothing changed
    admin.open("/users");
    admin.click("delete-user-" + USER);
    // refused at the confirmation step already: no Delete button is offered
    assertFalse(adminBrowser.present(By.id("delete-confirm")), "a Delete button for a user owning data");
    assertEquals("error", admin.messageKind(), admin.message());
    assertTrue(admin.message().startsWith("User " + USER + " cannot be deleted: ")
        && admin.message().contains("alice-bucket"), admin.message());
    adminBrowser.screenshot("console-14-admin-delete-refused");
    admin.open("/users");
    assertEquals("disabled", admin.userStatus(USER));
  }

  @Test
  @Order(14)
  void anApplicationRejectedThroughTheMailedLinkIsMailedAndGone() {
    user.logout();
    user.open("/apply");
    user.fill(Map.of("username", "eve", "password", "Eve-pass-1", "password2", "Eve-pass-1",
        "realName", "Eve Eavesdropper", "email", "eve@users.test"));
    user.click("apply-submit");
    userBrowser.awaitText("Your application was sent to the administrator");
    Mail mail = smtp.await(ADMIN_EMAIL, "Eucalyptus account application: eve", MAIL_WAIT);
    String approve = mail.link("action=approve");

    admin.open(mail.link("action=reject"));
    adminBrowser.find(By.id("reject-form"));
    admin.click("reject-submit");
    adminBrowser.awaitText("The application of eve was rejected.");
    smtp.await("eve@users.test", "Your Eucalyptus account application was rejected", MAIL_WAIT);
    admin.open("/users");
    assertFalse(adminBrowser.present(By.cssSelector("tr[data-user='eve']")), "a rejected application is still listed");
    admin.open(approve);
    assertTrue(admin.message().startsWith("This link is not valid"), "approve after reject: " + admin.message());
  }

  @Test
  @Order(15)
  void aDeletedUsersKeysStopAtOnceOnEc2AndWalrus() {
    cloud.eucaConf("--add-user", "dora", "--email", "dora@users.test").assertOk();
    Credentials dora = CloudInstallation.readEucarc(cloud.credentials("dora"));
    Shell.Result ec2 = Ec2Clients.boto(dora.ec2Url(), dora, "2", "raw", "DescribeAvailabilityZones");
    assertTrue(ec2.stdout().startsWith("200\n"), ec2.all());
    Ec2Clients.botoS3(dora.s3Url(), dora, "buckets").assertOk();

    admin.open("/users");
    assertEquals("active", admin.userStatus("dora"));
    admin.click("delete-user-dora");
    admin.click("delete-confirm");
    adminBrowser.awaitText("User dora was deleted.");

    ec2 = Ec2Clients.boto(dora.ec2Url(), dora, "2", "raw", "DescribeAvailabilityZones");
    assertTrue(ec2.stdout().startsWith("401\n") && ec2.stdout().contains("<Code>AuthFailure</Code>"), ec2.all());
    Shell.Result s3 = Ec2Clients.botoS3(dora.s3Url(), dora, "buckets");
    assertEquals("S3ERROR\t403\tInvalidAccessKeyId\n", s3.stdout(), "a deleted user's key is unknown: " + s3.all());
  }

  @Test
  @Order(16)
  void theAdminEnablesTheUserAndTheSameCallsWorkAgain() {
    admin.open("/users");
    admin.click("enable-user-" + USER);
    adminBrowser.awaitText("User " + USER + " was enabled.");
    assertEquals("active", admin.userStatus(USER));
    Shell.Result boto = Ec2Clients.boto(userKeys.ec2Url(), userKeys, "2", "raw", "DescribeAvailabilityZones");
    assertTrue(boto.stdout().startsWith("200\n"), boto.all());
    String buckets = Ec2Clients.botoS3(userKeys.s3Url(), userKeys, "buckets").assertOk().stdout();
    assertTrue(buckets.lines().anyMatch("alice-bucket"::equals), buckets);
    user.login(USER, USER_NEW_PASSWORD);
    assertTrue(user.whoami() != null && user.whoami().contains(USER), "logged in as " + user.whoami());
  }

  /** The screenshots of every tab are kept as the run's artifacts: PNG files, not empty. */
  @Test
  @Order(17)
  void everyTabWasPhotographed() throws IOException {
    for (String name : TAB_SCREENSHOTS) {
      Path png = screenshots.resolve(name + ".png");
      assertTrue(Files.isRegularFile(png), "no screenshot " + png);
      byte[] head = new byte[8];
      try (InputStream in = Files.newInputStream(png)) {
        assertEquals(8, in.readNBytes(head, 0, 8), png.toString());
      }
      assertEquals("\u0089PNG\r\n\u001a\n", new String(head, java.nio.charset.StandardCharsets.ISO_8859_1), png.toString());
      assertTrue(Files.size(png) > 5_000, png + " is suspiciously small");
    }
  }

  static List<String> unzip(Path zip, Path dir) throws IOException {
    List<String> names = new java.util.ArrayList<>();
    try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
      for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
        Path target = dir.resolve(e.getName()).normalize();
        assertTrue(target.startsWith(dir), "zip entry outside its folder: " + e.getName());
        Files.copy(z, target);
        names.add(e.getName());
      }
    }
    return names;
  }
}
