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

  /** What Walrus answers a request signed with each kind of key, through the real authenticator. */
  @Test
  void disabledAndUnconfirmedUsersKeysAreAccessDeniedUnknownAndDeletedOnesInvalidAccessKeyId() throws Exception {
    try (Database db = TestDatabases.fileDatabase(home)) {
      Accounts accounts = new Accounts(db);
      Accounts.User carol = accounts.add("carol", "carol@example.com", false, null).orElseThrow();
      Accounts.User dave = accounts.add("dave", "dave@example.com", false, "dave-pw-1", false).orElseThrow();
      AccountsWalrusUsers users = new AccountsWalrusUsers(accounts);

      assertEquals("carol", users.keyHolder(carol.accessKey()).signer().name());
      assertEquals("AccessDenied: The account of this access key is not active yet: it must be approved and confirmed.",
          refusal(users, dave.accessKey()));
      accounts.setEnabled("carol", false);
      assertEquals("AccessDenied: The account of this access key is disabled.", refusal(users, carol.accessKey()));
      accounts.setEnabled("dave", false);
      assertEquals("AccessDenied: The account of this access key is disabled.", refusal(users, dave.accessKey()));
      accounts.setEnabled("carol", true);
      assertEquals("carol", users.keyHolder(carol.accessKey()).signer().name(), "enabled again, the key works again");

      accounts.delete("carol");
      assertEquals("InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records.",
          refusal(users, carol.accessKey()));
      assertEquals("InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records.",
          refusal(users, "AKNEVERISSUED0000000"));
    }
  }

  private static String refusal(AccountsWalrusUsers users, String accessKey) {
    com.eucalyptus.walrus.S3Exception e = org.junit.jupiter.api.Assertions.assertThrows(
        com.eucalyptus.walrus.S3Exception.class, () -> users.keyHolder(accessKey).signer());
    assertEquals(403, e.status());
    return e.code() + ": " + e.getMessage();
  }
}
