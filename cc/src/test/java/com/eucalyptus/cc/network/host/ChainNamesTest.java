package com.eucalyptus.cc.network.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.cc.network.model.GroupRef;
import org.junit.jupiter.api.Test;

class ChainNamesTest {
  @Test
  void aShortPlainNameIsTheGroupsNetNameAsIn152() {
    assertEquals("admin-default", ChainNames.forGroup(new GroupRef("admin", "default")));
    assertEquals("u_1-web.tier-2", ChainNames.forGroup(new GroupRef("u_1", "web.tier-2")));
    String exactly28 = "abcdefghij-abcdefghijklmnopq";
    assertEquals(28, exactly28.length());
    assertEquals(exactly28, ChainNames.forGroup(new GroupRef("abcdefghij", "abcdefghijklmnopq")));
  }

  @Test
  void aLongNameIsCutWithAHashAndFitsIptables() {
    GroupRef g = new GroupRef("alice", "a-group-name-of-forty-characters-ok"); // 41 with "alice-"
    String c = ChainNames.forGroup(g);
    assertEquals(28, c.length());
    assertEquals(c, ChainNames.forGroup(new GroupRef("alice", "a-group-name-of-forty-characters-ok")));
    // same start, different end: different chains
    assertNotEquals(c, ChainNames.forGroup(new GroupRef("alice", "a-group-name-of-forty-characters-no")));
    // the hash is SHA-256 of user NUL group (fixed here so that a change of the rule is noticed)
    assertEquals("alice-a-group-name-~cce9d58d", c);
  }

  @Test
  void unusualCharactersAndAmbiguousOrReservedNamesAreMapped() {
    String spaced = ChainNames.forGroup(new GroupRef("bob", "my group!"));
    assertTrue(spaced.matches("bob-my_group_~[0-9a-f]{8}"), spaced);
    // "a-b"+"c" and "a"+"b-c" would both be "a-b-c": the user with a '-' is mapped
    String dashed = ChainNames.forGroup(new GroupRef("a-b", "c"));
    assertTrue(dashed.startsWith("a-b-c~"), dashed);
    assertEquals("a-b-c", ChainNames.forGroup(new GroupRef("a", "b-c")));
    assertTrue(ChainNames.forGroup(new GroupRef("EUCA", "FORWARD")).startsWith("EUCA-FORWARD~"));
    String leadingDash = ChainNames.forGroup(new GroupRef("-x", "y"));
    assertTrue(leadingDash.startsWith("_x-y~"), leadingDash);
  }
}
