package com.eucalyptus.cc.network.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What LinuxHostNetwork reads from iptables-save: its group chains and the jumps that are missing. */
class LinuxHostNetworkStateTest {
  static final SavedTables NOW = SavedTables.parse("""
      *filter
      :INPUT ACCEPT [0:0]
      :FORWARD DROP [0:0]
      :EUCA-FORWARD - [0:0]
      :EUCA-LOCAL - [0:0]
      :alice-web - [0:0]
      :bob-db - [0:0]
      :admin-chain - [0:0]
      -A FORWARD -j EUCA-FORWARD
      -A FORWARD -j admin-chain
      -A EUCA-FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
      -A EUCA-FORWARD -d 10.77.0.128/26 -j alice-web
      -A EUCA-FORWARD -d 10.77.0.0/24 -j DROP
      -A EUCA-LOCAL -d 10.77.0.192/26 -j bob-db
      -A OUTPUT -o eth0 -j EUCA-LOCAL
      COMMIT
      *nat
      :PREROUTING ACCEPT [0:0]
      :OUTPUT ACCEPT [0:0]
      :POSTROUTING ACCEPT [0:0]
      :EUCA-PREROUTING - [0:0]
      -A PREROUTING -j EUCA-PREROUTING
      -A OUTPUT -d 10.0.0.1/32 -j EUCA-OUTPUT
      COMMIT
      """);

  @Test
  void theGroupChainsAreWhatEucaForwardOrEucaLocalJumpsTo() {
    // bob-db only from EUCA-LOCAL (its FORWARD jump deleted by hand): still found, so it can be deleted
    assertEquals(Set.of("alice-web", "bob-db"), LinuxHostNetwork.groupChains(NOW.table("filter")));
  }

  @Test
  void aJumpCountsOnlyAsTheCcWritesIt() {
    List<String> missing = LinuxHostNetwork.missingHooks(NOW).stream().map(h -> h[0] + "/" + h[1]).toList();
    // "-A OUTPUT -o eth0 -j EUCA-LOCAL" is not the CC's jump (it would miss the guests on other interfaces)
    assertEquals(List.of("filter/OUTPUT", "nat/OUTPUT", "nat/POSTROUTING"), missing);
    assertEquals(5, LinuxHostNetwork.missingHooks(SavedTables.parse("")).size());
  }
}
