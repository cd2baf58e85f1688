package com.eucalyptus.clc.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.clc.api.Ec2Action;
import com.eucalyptus.clc.api.Ec2Exception;
import com.eucalyptus.clc.api.QueryRequest;
import com.eucalyptus.clc.api.Xml;
import com.eucalyptus.clc.api.actions.CloudActions;
import com.eucalyptus.clc.bootstrap.FirstStart;
import com.eucalyptus.clc.cluster.Clusters;
import com.eucalyptus.clc.persistence.AddressEntity;
import com.eucalyptus.clc.persistence.UserEntity;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "eucalyptus" marks the system's public addresses (AddressEntity.SYSTEM), so no user may have
 * that name: AddUser (euca_conf --add-user), the console's sign-up and its Add user (both through
 * AccountForm.checkApplication) and Accounts.add itself refuse it; a database that already holds
 * such a user makes every CLC start log an ERROR.
 */
class AccountsReservedNameTest {
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

  @Test
  void theSystemsAddressOwnerIsTheReservedName() {
    assertEquals(AddressEntity.SYSTEM, Accounts.RESERVED_NAME);
    assertTrue(Accounts.reservedName("eucalyptus"));
    assertTrue(Accounts.validName("eucalyptus"), "an existing such user can still be looked up and deleted");
  }

  @Test
  void addUserRefusesItAsABadName() throws Exception {
    Accounts.User admin = f.accounts.find("admin").orElseThrow();
    Ec2Action addUser = new CloudActions(f.accounts, new Clusters(f.db), f.properties, null).all().stream()
        .filter(a -> a.name().equals("AddUser")).findFirst().orElseThrow();
    QueryRequest r = QueryRequest.of("GET", "h", "/services/Eucalyptus", "UserName=eucalyptus", new byte[0], null,
        Map.of());
    Ec2Exception e = assertThrows(Ec2Exception.class, () -> addUser.handle(r, admin, new Xml()));
    assertEquals("InvalidParameterValue", e.code());
    assertTrue(e.getMessage().contains("user name eucalyptus is reserved"), e.getMessage());
    assertTrue(f.accounts.find("eucalyptus").isEmpty());

    QueryRequest ok = QueryRequest.of("GET", "h", "/services/Eucalyptus", "UserName=eucalyptus2", new byte[0], null,
        Map.of());
    addUser.handle(ok, admin, new Xml());
    assertTrue(f.accounts.find("eucalyptus2").isPresent(), "only the exact name is reserved");
  }

  @Test
  void accountsAddRefusesIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> f.accounts.add("eucalyptus", "", false, null));
    assertTrue(e.getMessage().contains("reserved"), e.getMessage());
    assertTrue(f.accounts.find("eucalyptus").isEmpty());
  }

  @Test
  void signUpAndTheAdministratorsAddUserRefuseIt() {
    f.setUpAdmin();
    AccountForm form = new AccountForm("eucalyptus", "password1", "password1", "Eve", "eve@example.org", "", "", "",
        "");
    AccountRefused e = assertThrows(AccountRefused.class, () -> f.lifecycle.apply(form, "https://localhost:8443"));
    assertEquals("The user name eucalyptus is reserved for the system. Please choose another.", e.getMessage());
    e = assertThrows(AccountRefused.class, () -> f.lifecycle.addByAdmin(form, false, "https://localhost:8443"));
    assertEquals("The user name eucalyptus is reserved for the system. Please choose another.", e.getMessage());
    assertTrue(f.accounts.find("eucalyptus").isEmpty());
  }

  /** An appender that keeps what it is given. */
  static final class Captured extends AbstractAppender {
    final List<LogEvent> events = new CopyOnWriteArrayList<>();

    Captured() {
      super("captured", null, null, true, Property.EMPTY_ARRAY);
    }

    @Override
    public void append(LogEvent event) {
      events.add(event.toImmutable());
    }
  }

  @Test
  void anExistingSuchUserIsReportedAtEachStart() throws Exception {
    Logger log = (Logger) LogManager.getLogger(FirstStart.class);
    Captured captured = new Captured();
    captured.start();
    log.addAppender(captured);
    try {
      FirstStart.run(f.db, f.accounts, f.properties, f.keysDir(), home.resolve("bukkits"));
      assertTrue(captured.events.stream().noneMatch(ev -> ev.getLevel() == Level.ERROR), "no such user: no error");

      // a database from before the rule: the row as Accounts.add used to write it
      f.db.tx(s -> {
        UserEntity u = new UserEntity();
        u.name = "eucalyptus";
        u.email = "";
        u.enabled = true;
        u.confirmed = true;
        u.accessKey = "LEGACYKEY0000000000X";
        u.secretKey = "legacy";
        s.persist(u);
        return null;
      });
      FirstStart.run(f.db, f.accounts, f.properties, f.keysDir(), home.resolve("bukkits"));
      List<String> errors = captured.events.stream().filter(ev -> ev.getLevel() == Level.ERROR)
          .map(ev -> ev.getMessage().getFormattedMessage()).toList();
      assertEquals(1, errors.size(), errors.toString());
      assertTrue(errors.get(0).contains("a user named 'eucalyptus' exists")
          && errors.get(0).contains("euca_conf --delete-user eucalyptus"), errors.get(0));
      assertTrue(f.accounts.find("eucalyptus").isPresent(), "left for the administrator to deal with");
      assertTrue(FirstStart.warnOfReservedUser(f.accounts));

      // what the administrator is told to do works: the user can be deleted, and the next start is quiet
      assertTrue(f.accounts.delete("eucalyptus"));
      captured.events.clear();
      FirstStart.run(f.db, f.accounts, f.properties, f.keysDir(), home.resolve("bukkits"));
      assertTrue(captured.events.stream().noneMatch(ev -> ev.getLevel() == Level.ERROR));
      assertFalse(FirstStart.warnOfReservedUser(f.accounts));
    } finally {
      log.removeAppender(captured);
    }
  }
}
