package com.eucalyptus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.itests.support.CloudInstallation;
import com.eucalyptus.itests.support.ConsoleHttp;
import com.eucalyptus.itests.support.ConsoleHttp.Page;
import com.eucalyptus.itests.support.LogsOnFailure;
import com.eucalyptus.itests.support.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's quick-start mail path, for real: Debian's exim4 started as dev/quickstart starts it
 * ({@code start_local_mta} of dev/packages.sh: local delivery only, on 127.0.0.1:25), the CLC with
 * its mail setting left at the default (localhost:25, as the guide asks of the head node), and an
 * application whose mail to the administrator (root@localhost) lands where the README says root's
 * mail lands, /var/mail/mail. An exim4 this test started is stopped again at the end.
 */
class ConsoleMailPathIT {
  static final Path ROOTS_MAILBOX = Path.of("/var/mail/mail");
  static final String ADMIN_PASSWORD = "Admin-pass-1";

  static CloudInstallation cloud;
  static Path source;
  static long eximWeStarted;

  @RegisterExtension
  static LogsOnFailure logs = new LogsOnFailure(() -> cloud);

  @BeforeAll
  static void localMtaAndCloud() throws IOException {
    source = Path.of(System.getProperty("euca.source", "..")).toAbsolutePath().normalize();
    String out = Shell.run(List.of("bash", "-c", ". dev/packages.sh; if smtp_answers 127.0.0.1 25; then echo RUNNING;"
        + " else start_local_mta && echo STARTED; fi"), Map.of(), source, Duration.ofMinutes(10)).assertOk().stdout();
    if (out.contains("STARTED")) {
      eximWeStarted = Long.parseLong(Files.readString(Path.of("/run/exim4/exim.pid")).strip());
    }
    cloud = CloudInstallation.install("console-mail", Map.of());
    try {
      cloud.startCloudOnly();
    } catch (Throwable t) {
      throw new AssertionError(t.getMessage() + "\n" + cloud.tailLogs(), t);
    }
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (cloud != null) {
      cloud.close();
    }
    if (eximWeStarted > 0) {
      // only the daemon this test started, by its pid
      ProcessHandle.of(eximWeStarted).filter(p -> p.info().command().orElse("").contains("exim"))
          .ifPresent(ProcessHandle::destroy);
    }
  }

  @Test
  void anApplicationIsMailedToTheAdministratorThroughTheLocalMta() throws Exception {
    String props = cloud.eucaConf("--list-properties").assertOk().stdout();
    assertTrue(props.contains("mail.smtp.host\tlocalhost\n") && props.contains("mail.smtp.port\t25\n"), props);

    ConsoleHttp admin = new ConsoleHttp(cloud.keysDir().resolve("www-cert.pem"));
    assertEquals(303, admin.login("admin", "admin").status());
    Page setup = admin.get("/setup");
    assertEquals(303, admin.post("/setup", Map.of("csrf", setup.csrf(), "password", ADMIN_PASSWORD, "password2",
        ADMIN_PASSWORD, "email", "root@localhost", "walrusUrl", "http://127.0.0.1:8773/services/Walrus")).status());

    String name = "mailpath" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    ConsoleHttp applicant = new ConsoleHttp(cloud.keysDir().resolve("www-cert.pem"));
    Page form = applicant.get("/apply");
    Page applied = applicant.post("/apply", Map.of("csrf", form.csrf(), "username", name, "password", "Mail-pass-1",
        "password2", "Mail-pass-1", "realName", "Mail Path", "email", "root@localhost"));
    assertEquals(303, applied.status(), applied.body());
    Page login = applicant.get("/login");
    assertEquals("info", login.messageKind(), "the console could not hand the mail to localhost:25: " + login.message());

    String subject = "Subject: Eucalyptus account application: " + name;
    CloudInstallation.await(Duration.ofSeconds(60), "the application's mail in " + ROOTS_MAILBOX, () -> {
      try {
        return Files.isRegularFile(ROOTS_MAILBOX) && Files.readString(ROOTS_MAILBOX).contains(subject) ? true : null;
      } catch (IOException e) {
        return null;
      }
    });
    String mailbox = Files.readString(ROOTS_MAILBOX);
    String mail = mailbox.substring(mailbox.lastIndexOf(subject));
    assertTrue(mail.contains("/?action=approve&code="), "no accept link in the delivered mail:\n" + mail);
  }
}
