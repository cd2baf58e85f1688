package com.eucalyptus.walrus.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.walrus.S3Exception;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessControlListTest {
  static final String OWNER = "a".repeat(64);
  static final String OTHER = "b".repeat(64);
  static final Optional<String> ANON = Optional.empty();

  @Test
  void privateIsTheOwnersOnly() throws Exception {
    AccessControlList acl = AccessControlList.canned("private", OWNER, null);
    for (Permission p : Permission.values()) {
      assertTrue(acl.allows(OWNER, Optional.of(OWNER), p));
      assertFalse(acl.allows(OWNER, Optional.of(OTHER), p));
      assertFalse(acl.allows(OWNER, ANON, p));
    }
  }

  @Test
  void cannedGroups() throws Exception {
    AccessControlList pr = AccessControlList.canned("public-read", OWNER, null);
    assertTrue(pr.allows(OWNER, ANON, Permission.READ));
    assertFalse(pr.allows(OWNER, ANON, Permission.WRITE));
    AccessControlList prw = AccessControlList.canned("public-read-write", OWNER, null);
    assertTrue(prw.allows(OWNER, ANON, Permission.WRITE));
    assertFalse(prw.allows(OWNER, ANON, Permission.READ_ACP));
    AccessControlList ar = AccessControlList.canned("authenticated-read", OWNER, null);
    assertTrue(ar.allows(OWNER, Optional.of(OTHER), Permission.READ));
    assertFalse(ar.allows(OWNER, ANON, Permission.READ));
    AccessControlList bofc = AccessControlList.canned("bucket-owner-full-control", OTHER, OWNER);
    assertTrue(bofc.allows(OTHER, Optional.of(OWNER), Permission.WRITE_ACP));
    assertEquals("InvalidArgument", assertThrows(S3Exception.class, () -> AccessControlList.canned("nope", OWNER, null)).code());
  }

  @Test
  void ownerKeepsAcpRightsEvenWithoutGrants() {
    AccessControlList none = new AccessControlList(List.of());
    assertTrue(none.allows(OWNER, Optional.of(OWNER), Permission.READ_ACP));
    assertTrue(none.allows(OWNER, Optional.of(OWNER), Permission.WRITE_ACP));
    assertFalse(none.allows(OWNER, Optional.of(OWNER), Permission.READ));
  }

  @Test
  void encodesAndDecodes() throws Exception {
    AccessControlList acl = new AccessControlList(List.of(new Grant(Grant.Grantee.user(OTHER), Permission.READ_ACP),
        new Grant(Grant.Grantee.group(Grant.ALL_USERS), Permission.READ)));
    assertEquals(acl, AccessControlList.decode(acl.encode(), OWNER));
    assertEquals(AccessControlList.privateTo(OWNER), AccessControlList.decode(null, OWNER));
  }
}
