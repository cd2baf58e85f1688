package com.eucalyptus.clc.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.clc.accounts.AccountLifecycle.LoginOutcome;
import com.eucalyptus.clc.accounts.OneTimeCodes.Purpose;
import com.eucalyptus.clc.properties.SystemProperties;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sign-up lifecycle against a real HSQLDB and a real SMTP server (GreenMail). */
class AccountLifecycleTest {
  private static final String BASE = "https://cloud.example:8443";
  @TempDir
  Path home;
  LifecycleFixture f;

  @BeforeEach
  void start() throws Exception {
    f = new LifecycleFixture(home);
  }

  @AfterEach
  void stop() {
    f.close();
  }

  static AccountForm form(String name, String password) {
    return new AccountForm(name, password, password, "Alice Example", "alice@example.org", "555-1234", "Prof. PI",
        "UCSB", "weather models");
  }

  @Test
  void applicationsAreClosedUntilTheAdminFinishedTheSetup() {
    AccountRefused e = assertThrows(AccountRefused.class, () -> f.lifecycle.apply(form("alice", "password1"), BASE));
    assertTrue(e.getMessage().contains("not open yet"));
    assertTrue(f.accounts.find("alice").isEmpty());
    assertTrue(f.lifecycle.setupNeeded("admin", "admin"));
  }

  @Test
  void applyApproveConfirm() throws Exception {
    f.setUpAdmin();
    assertFalse(f.lifecycle.setupNeeded("admin", "s3cret-admin"));
    assertEquals("http://cloud.example:8773", f.properties.get(SystemProperties.CLOUD_URL));
    assertEquals(LoginOutcome.OK, f.lifecycle.login("admin", "s3cret-admin"));
    assertEquals(LoginOutcome.WRONG, f.lifecycle.login("admin", "admin"));

    assertEquals(Optional.empty(), f.lifecycle.apply(form("alice", "password1"), BASE));
    assertEquals(Account.Status.PENDING, f.lifecycle.find("alice").orElseThrow().status());
    assertFalse(f.accounts.find("alice").orElseThrow().enabled(), "a pending user's keys must not work");
    assertEquals(LoginOutcome.NOT_CONFIRMED, f.lifecycle.login("alice", "password1"));

    MimeMessage toAdmin = f.mail(1);
    assertEquals("Eucalyptus account application: alice", toAdmin.getSubject());
    assertEquals("admin@cloud.example", toAdmin.getRecipients(Message.RecipientType.TO)[0].toString());
    assertTrue(LifecycleFixture.body(toAdmin).contains("Prof. PI"));
    String approve = LifecycleFixture.code(toAdmin, "approve");
    String reject = LifecycleFixture.code(toAdmin, "reject");
    assertTrue(LifecycleFixture.body(toAdmin).contains("Accept: " + BASE + "/?action=approve&code=" + approve));

    assertThrows(AccountRefused.class, () -> f.lifecycle.approve(reject, BASE), "a reject code cannot approve");
    assertEquals("alice", f.lifecycle.applicationFor(approve, Purpose.APPROVE).orElseThrow().name());
    assertEquals("alice", f.lifecycle.approve(approve, BASE).user());
    assertThrows(AccountRefused.class, () -> f.lifecycle.approve(approve, BASE), "codes are single use");
    assertThrows(AccountRefused.class, () -> f.lifecycle.reject(reject), "the sibling code is gone too");
    assertEquals(Account.Status.UNCONFIRMED, f.lifecycle.find("alice").orElseThrow().status());
    assertFalse(f.accounts.find("alice").orElseThrow().enabled());

    MimeMessage toAlice = f.mail(2);
    assertEquals("Your Eucalyptus account was approved", toAlice.getSubject());
    assertEquals("alice@example.org", toAlice.getRecipients(Message.RecipientType.TO)[0].toString());
    String confirm = LifecycleFixture.code(toAlice, "confirm");

    assertThrows(AccountRefused.class, () -> f.lifecycle.confirm(confirm, "alice", "wrong-password"));
    assertThrows(AccountRefused.class, () -> f.lifecycle.confirm(confirm, "admin", "s3cret-admin"),
        "another user cannot use alice's code");
    assertThrows(AccountRefused.class, () -> f.lifecycle.confirm("0".repeat(64), "alice", "password1"), "forged code");
    assertEquals(Account.Status.UNCONFIRMED, f.lifecycle.find("alice").orElseThrow().status());

    assertEquals(Account.Status.ACTIVE, f.lifecycle.confirm(confirm, "alice", "password1").status());
    assertTrue(f.accounts.find("alice").orElseThrow().enabled());
    assertEquals(LoginOutcome.OK, f.lifecycle.login("alice", "password1"));
  }

  @Test
  void rejectionRemovesTheApplicationAndTellsTheApplicant() throws Exception {
    f.setUpAdmin();
    f.lifecycle.apply(form("bob", "password1"), BASE);
    String reject = LifecycleFixture.code(f.mail(1), "reject");
    assertEquals("bob", f.lifecycle.reject(reject).user());
    assertTrue(f.accounts.find("bob").isEmpty());
    assertEquals("Your Eucalyptus account application was rejected", f.mail(2).getSubject());
    // the name is free again
    f.lifecycle.apply(form("bob", "password2"), BASE);
    assertEquals(Account.Status.PENDING, f.lifecycle.find("bob").orElseThrow().status());
  }

  @Test
  void userNamesAndFieldsAreScreened() {
    f.setUpAdmin();
    for (String bad : new String[] {"", "a b", "<script>", "-lead", "x".repeat(31), "ü"}) {
      assertThrows(AccountRefused.class, () -> f.lifecycle.apply(form(bad, "password1"), BASE), bad);
    }
    assertThrows(AccountRefused.class, () -> f.lifecycle.apply(form("admin", "password1"), BASE));
    AccountRefused dup = assertThrows(AccountRefused.class, () -> f.lifecycle.apply(form("admin", "password1"), BASE));
    assertTrue(dup.getMessage().contains("already taken"));
    assertThrows(AccountRefused.class, () -> f.lifecycle.apply(form("carol", "short"), BASE));
    assertThrows(AccountRefused.class, () -> f.lifecycle.apply(new AccountForm("carol", "password1", "password2",
        "Carol", "carol@example.org", "", "", "", ""), BASE));
    assertThrows(AccountRefused.class, () -> f.lifecycle.apply(new AccountForm("carol", "password1", "password1",
        "", "carol@example.org", "", "", "", ""), BASE));
    assertThrows(AccountRefused.class, () -> f.lifecycle.apply(new AccountForm("carol", "password1", "password1",
        "Carol", "not-an-address", "", "", "", ""), BASE));
    assertEquals(1, f.accounts.list().size(), "only admin exists");
    assertEquals(0, f.smtp.getReceivedMessages().length);
    // the limits themselves are allowed: 30 characters, and every allowed kind of character
    for (String good : new String[] {"x".repeat(30), "a", "9lives", "j.doe_2-x"}) {
      assertEquals(Optional.empty(), f.lifecycle.apply(form(good, "password1"), BASE), good);
      assertEquals(Account.Status.PENDING, f.lifecycle.find(good).orElseThrow().status(), good);
    }
  }

  @Test
  void passwordRecoveryByMailExpiresAndIsSingleUse() throws Exception {
    f.setUpAdmin();
    f.lifecycle.addByAdmin(form("dave", "password1"), false, BASE);
    f.lifecycle.confirm(LifecycleFixture.code(f.mail(1), "confirm"), "dave", "password1");

    assertEquals(Optional.empty(), f.lifecycle.requestRecovery("dave", "someone@else.org", BASE));
    assertEquals(Optional.empty(), f.lifecycle.requestRecovery("nobody", "alice@example.org", BASE));
    assertEquals(1, f.smtp.getReceivedMessages().length, "no mail for a wrong name or address");

    f.lifecycle.requestRecovery("dave", "ALICE@example.org", BASE);
    MimeMessage m = f.mail(2);
    assertEquals("Eucalyptus password recovery", m.getSubject());
    String code = LifecycleFixture.code(m, "recover");
    assertThrows(AccountRefused.class, () -> f.lifecycle.resetPassword(code, "newpass1", "other"));
    assertEquals("dave", f.lifecycle.resetPassword(code, "newpass1", "newpass1"));
    assertEquals(LoginOutcome.OK, f.lifecycle.login("dave", "newpass1"));
    assertEquals(LoginOutcome.WRONG, f.lifecycle.login("dave", "password1"));
    assertThrows(AccountRefused.class, () -> f.lifecycle.resetPassword(code, "again123", "again123"));

    f.lifecycle.requestRecovery("dave", "alice@example.org", BASE);
    String late = LifecycleFixture.code(f.mail(3), "recover");
    f.clock.advance(Duration.ofMinutes(61));
    assertTrue(f.lifecycle.recoveryUser(late).isEmpty());
    assertThrows(AccountRefused.class, () -> f.lifecycle.resetPassword(late, "again123", "again123"));
    assertEquals(LoginOutcome.OK, f.lifecycle.login("dave", "newpass1"));
  }

  @Test
  void addedUsersAreApprovedButMustConfirm() throws Exception {
    f.setUpAdmin();
    f.lifecycle.addByAdmin(form("erin", "password1"), false, BASE);
    assertEquals(Account.Status.UNCONFIRMED, f.lifecycle.find("erin").orElseThrow().status());
    assertEquals("Your Eucalyptus account was approved", f.mail(1).getSubject());
    assertEquals(LoginOutcome.NOT_CONFIRMED, f.lifecycle.login("erin", "password1"));
  }

  @Test
  void disableEnableAndDeleteWithBlockers() throws Exception {
    f.setUpAdmin();
    f.lifecycle.addByAdmin(form("frank", "password1"), false, BASE);
    f.lifecycle.confirm(LifecycleFixture.code(f.mail(1), "confirm"), "frank", "password1");
    String key = f.accounts.find("frank").orElseThrow().accessKey();

    f.lifecycle.setEnabled("admin", "frank", false);
    assertFalse(f.accounts.findByAccessKey(key).orElseThrow().enabled());
    assertEquals(LoginOutcome.DISABLED, f.lifecycle.login("frank", "password1"));
    f.lifecycle.setEnabled("admin", "frank", true);
    assertTrue(f.accounts.findByAccessKey(key).orElseThrow().enabled());
    assertThrows(AccountRefused.class, () -> f.lifecycle.setEnabled("admin", "admin", false));

    f.lifecycle.addResourceCheck(user -> user.equals("frank") ? List.of("owns the non-empty bucket b1") : List.of());
    AccountRefused e = assertThrows(AccountRefused.class, () -> f.lifecycle.delete("admin", "frank"));
    assertEquals("User frank cannot be deleted: owns the non-empty bucket b1.", e.getMessage());
    assertTrue(f.accounts.find("frank").isPresent());
  }

  @Test
  void deleteRemovesTheUserAndTheKeysStopAtOnce() throws Exception {
    f.setUpAdmin();
    f.lifecycle.addByAdmin(form("gina", "password1"), false, BASE);
    String key = f.accounts.find("gina").orElseThrow().accessKey();
    f.lifecycle.delete("admin", "gina");
    assertTrue(f.accounts.findByAccessKey(key).isEmpty());
    assertTrue(f.lifecycle.find("gina").isEmpty());
    assertThrows(AccountRefused.class, () -> f.lifecycle.delete("admin", "admin"));
  }

  @Test
  void aMailFailureIsReportedAndTheApplicationKept() throws Exception {
    f.setUpAdmin();
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    f.properties.set(SystemProperties.MAIL_PORT, String.valueOf(closed));
    Optional<String> problem = f.lifecycle.apply(form("hank", "password1"), BASE);
    assertTrue(problem.isPresent());
    assertTrue(problem.get().contains("127.0.0.1:" + closed), problem.get());
    assertEquals(Account.Status.PENDING, f.lifecycle.find("hank").orElseThrow().status());
  }

  @Test
  void setupRefusesTheDefaultPasswordAndABadWalrusUrl() {
    assertThrows(AccountRefused.class, () -> f.lifecycle.completeSetup("admin", "admin", "admin", "a@b.c",
        "http://h:8773/services/Walrus"));
    assertThrows(AccountRefused.class, () -> f.lifecycle.completeSetup("admin", "newpass1", "newpass1", "a@b.c",
        "ftp://h/services/Walrus"));
    assertThrows(AccountRefused.class, () -> f.lifecycle.completeSetup("admin", "newpass1", "newpass1", "a@b.c",
        "http://h:8773/other"));
    assertEquals("Please give a valid e-mail address (name@host).", assertThrows(AccountRefused.class,
        () -> f.lifecycle.completeSetup("admin", "newpass1", "newpass1", "", "http://h:8773/services/Walrus")).getMessage(),
        "the admin's e-mail address is required");
    assertThrows(AccountRefused.class, () -> f.lifecycle.completeSetup("admin", "newpass1", "newpass1", "not-an-address",
        "http://h:8773/services/Walrus"));
    assertThrows(AccountRefused.class, () -> f.lifecycle.completeSetup("admin", "newpass1", "other-pw", "a@b.c",
        "http://h:8773/services/Walrus"), "the new password twice");
    assertEquals("", f.properties.get(SystemProperties.ADMIN_EMAIL));
    assertEquals(LoginOutcome.OK, f.lifecycle.login("admin", "admin"));
  }

  @Test
  void passwordHashesAreSaltedAndSlow() {
    String a = PasswordHash.hash("same");
    String b = PasswordHash.hash("same");
    assertFalse(a.equals(b), "salted");
    assertTrue(Integer.parseInt(a.split("\\$")[1]) >= 600_000, "PBKDF2 iterations (OWASP)");
    assertTrue(PasswordHash.matches("same", a));
    assertFalse(PasswordHash.matches("Same", a));
  }

  @Test
  void olderWeakerHashesAreReplacedAtTheNextLogin() {
    f.db.tx(s -> {
      s.find(com.eucalyptus.clc.persistence.UserEntity.class, "admin").passwordHash = weakHash("admin");
      return null;
    });
    assertEquals(LoginOutcome.OK, f.lifecycle.login("admin", "admin"));
    String now = f.db.tx(s -> s.find(com.eucalyptus.clc.persistence.UserEntity.class, "admin").passwordHash);
    assertFalse(PasswordHash.needsRehash(now));
    assertEquals(LoginOutcome.OK, f.lifecycle.login("admin", "admin"));
  }

  /** A hash as the Foundation made them (120 000 iterations), computed independently of PasswordHash. */
  private static String weakHash(String password) {
    try {
      byte[] salt = new byte[16];
      byte[] h = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
          .generateSecret(new javax.crypto.spec.PBEKeySpec(password.toCharArray(), salt, 120_000, 256)).getEncoded();
      java.util.Base64.Encoder b = java.util.Base64.getEncoder();
      return "pbkdf2$120000$" + b.encodeToString(salt) + "$" + b.encodeToString(h);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
