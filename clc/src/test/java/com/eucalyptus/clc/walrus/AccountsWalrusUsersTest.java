package com.eucalyptus.clc.walrus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.clc.TestDatabases;
import com.eucalyptus.clc.accounts.Accounts;
import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.walrus.auth.WalrusUser;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Walrus sees the CLC's enabled users, over a real HSQLDB database. */
class AccountsWalrusUsersTest {
  @TempDir
  Path home;

  @Test
  void enabledUsersWithStableCanonicalIds() {
    try (Database db = TestDatabases.fileDatabase(home)) {
      Accounts accounts = new Accounts(db);
      Accounts.User alice = accounts.add("alice", "alice@example.com", false, null).orElseThrow();
      accounts.add("bob", "bob@example.com", false, null).orElseThrow();
      AccountsWalrusUsers users = new AccountsWalrusUsers(accounts);

      WalrusUser a = users.byAccessKey(alice.accessKey()).orElseThrow();
      assertEquals("alice", a.name());
      assertTrue(a.canonicalId().matches("[0-9a-f]{64}"), a.canonicalId());
      assertEquals(a.canonicalId(), AccountsWalrusUsers.canonicalId("alice"));
      assertEquals("alice", users.byCanonicalId(a.canonicalId()).orElseThrow().name());
      assertEquals("bob", users.byEmail("BOB@example.com").orElseThrow().name());
      assertTrue(users.byName("nobody").isEmpty());

      accounts.setEnabled("alice", false);
      assertTrue(users.byAccessKey(alice.accessKey()).isEmpty(), "a disabled user's keys stop working");
      assertTrue(users.byCanonicalId(a.canonicalId()).isEmpty());
      assertTrue(users.byName("alice").isEmpty());
    }
  }
}
