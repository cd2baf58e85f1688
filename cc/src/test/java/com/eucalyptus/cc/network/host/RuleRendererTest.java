package com.eucalyptus.cc.network.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.eucalyptus.cc.network.model.ActiveNetwork;
import com.eucalyptus.cc.network.model.GroupRef;
import com.eucalyptus.cc.network.model.HostNetworkPlan;
import com.eucalyptus.cc.network.model.IngressRule;
import com.eucalyptus.cc.network.model.Ipv4Block;
import com.eucalyptus.cc.network.model.PublicAssignment;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The exact iptables-restore input a plan becomes (docs/network.md shows a smaller plan's). */
class RuleRendererTest {
  static final GroupRef WEB = new GroupRef("alice", "web");
  static final GroupRef DB = new GroupRef("bob", "db");
  static final GroupRef IDLE = new GroupRef("carol", "idle");

  static HostNetworkPlan plan() {
    return new HostNetworkPlan(Ipv4Block.parse("10.77.0.0/24"), "br0", "eth1",
        // given out of order: rendered by network index
        List.of(new ActiveNetwork(DB, 3, Ipv4Block.parse("10.77.0.192/26")),
            new ActiveNetwork(WEB, 2, Ipv4Block.parse("10.77.0.128/26"))),
        Map.of(WEB, List.of(
            new IngressRule("tcp", 22, 22, List.of("0.0.0.0/0"), List.of()),
            new IngressRule("tcp", 8000, 8080, List.of("192.0.2.7/24", "not-a-cidr"), List.of(DB, IDLE)),
            new IngressRule("icmp", -1, -1, List.of("198.51.100.0/24"), List.of()),
            new IngressRule("icmp", 8, -1, List.of(), List.of(DB)),
            new IngressRule("icmp", 3, 4, List.of(), List.of(DB)),
            new IngressRule("udp", 53, 53, List.of(), List.of(WEB)),
            new IngressRule("gre", 0, 0, List.of("0.0.0.0/0"), List.of())),
            IDLE, List.of(new IngressRule("tcp", 1, 2, List.of("0.0.0.0/0"), List.of()))),
        List.of(new PublicAssignment("203.0.113.12", "10.77.0.194"), new PublicAssignment("203.0.113.10", null),
            new PublicAssignment("203.0.113.11", "10.77.0.130")),
        "192.0.2.50:8773");
  }

  @Test
  void aPlanBecomesTheCcsChainsAndNothingElse() {
    String expected = """
        *filter
        :EUCA-FORWARD - [0:0]
        :EUCA-LOCAL - [0:0]
        :alice-web - [0:0]
        :bob-db - [0:0]
        :carol-gone - [0:0]
        -X carol-gone
        -A EUCA-FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
        -A EUCA-FORWARD -s 10.77.0.128/26 -d 10.77.0.128/26 -j ACCEPT
        -A EUCA-FORWARD -d 10.77.0.128/26 -j alice-web
        -A EUCA-FORWARD -s 10.77.0.192/26 -d 10.77.0.192/26 -j ACCEPT
        -A EUCA-FORWARD -d 10.77.0.192/26 -j bob-db
        -A EUCA-FORWARD -d 10.77.0.0/24 -j DROP
        -A EUCA-FORWARD -s 10.77.0.0/24 -j ACCEPT
        -A EUCA-LOCAL -d 10.77.0.0/24 -m addrtype --dst-type LOCAL -j RETURN
        -A EUCA-LOCAL -d 10.77.0.0/24 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
        -A EUCA-LOCAL -d 10.77.0.0/24 -p udp -m udp --sport 67 --dport 68 -j ACCEPT
        -A EUCA-LOCAL -d 10.77.0.128/26 -j alice-web
        -A EUCA-LOCAL -d 10.77.0.192/26 -j bob-db
        -A EUCA-LOCAL -d 10.77.0.0/24 -j DROP
        -A alice-web -p tcp -m tcp --dport 22 -j ACCEPT
        -A alice-web -s 192.0.2.0/24 -p tcp -m tcp --dport 8000:8080 -j ACCEPT
        -A alice-web -s 10.77.0.192/26 -p tcp -m tcp --dport 8000:8080 -j ACCEPT
        -A alice-web -s 198.51.100.0/24 -p icmp -j ACCEPT
        -A alice-web -s 10.77.0.192/26 -p icmp -m icmp --icmp-type 8 -j ACCEPT
        -A alice-web -s 10.77.0.192/26 -p icmp -m icmp --icmp-type 3/4 -j ACCEPT
        -A alice-web -s 10.77.0.128/26 -p udp -m udp --dport 53 -j ACCEPT
        COMMIT
        *nat
        :EUCA-PREROUTING - [0:0]
        :EUCA-OUTPUT - [0:0]
        :EUCA-POSTROUTING - [0:0]
        -A EUCA-PREROUTING -d 203.0.113.11/32 -j DNAT --to-destination 10.77.0.130
        -A EUCA-PREROUTING -d 203.0.113.12/32 -j DNAT --to-destination 10.77.0.194
        -A EUCA-PREROUTING -s 10.77.0.0/24 -d 169.254.169.254/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.0.2.50:8773
        -A EUCA-OUTPUT -d 203.0.113.11/32 -j DNAT --to-destination 10.77.0.130
        -A EUCA-OUTPUT -d 203.0.113.12/32 -j DNAT --to-destination 10.77.0.194
        -A EUCA-POSTROUTING -s 10.77.0.0/24 -d 10.77.0.0/24 -j RETURN
        -A EUCA-POSTROUTING -s 10.77.0.0/24 -d 192.0.2.50/32 -j RETURN
        -A EUCA-POSTROUTING -s 10.77.0.130/32 -j SNAT --to-source 203.0.113.11
        -A EUCA-POSTROUTING -s 10.77.0.194/32 -j SNAT --to-source 203.0.113.12
        -A EUCA-POSTROUTING -s 10.77.0.0/24 -j MASQUERADE
        COMMIT
        """;
    // bob-db is kept (still active), carol-gone is deleted, a fixed chain is never deleted
    assertEquals(expected,
        RuleRenderer.render(plan(), Set.of("bob-db", "carol-gone", "EUCA-FORWARD", "EUCA-LOCAL")));
  }

  @Test
  void noActiveNetworkNoMetadataLeavesTheSubnetClosedAndMasqueraded() {
    HostNetworkPlan empty = new HostNetworkPlan(Ipv4Block.parse("10.77.0.0/24"), "br0", "br0", List.of(), Map.of(),
        List.of(new PublicAssignment("203.0.113.10", null)), null);
    assertEquals("""
        *filter
        :EUCA-FORWARD - [0:0]
        :EUCA-LOCAL - [0:0]
        -A EUCA-FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
        -A EUCA-FORWARD -d 10.77.0.0/24 -j DROP
        -A EUCA-FORWARD -s 10.77.0.0/24 -j ACCEPT
        -A EUCA-LOCAL -d 10.77.0.0/24 -m addrtype --dst-type LOCAL -j RETURN
        -A EUCA-LOCAL -d 10.77.0.0/24 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
        -A EUCA-LOCAL -d 10.77.0.0/24 -p udp -m udp --sport 67 --dport 68 -j ACCEPT
        -A EUCA-LOCAL -d 10.77.0.0/24 -j DROP
        COMMIT
        *nat
        :EUCA-PREROUTING - [0:0]
        :EUCA-OUTPUT - [0:0]
        :EUCA-POSTROUTING - [0:0]
        -A EUCA-POSTROUTING -s 10.77.0.0/24 -d 10.77.0.0/24 -j RETURN
        -A EUCA-POSTROUTING -s 10.77.0.0/24 -j MASQUERADE
        COMMIT
        """, RuleRenderer.render(empty, Set.of()));
  }

  @Test
  void theSamePlanRendersTheSameText() {
    assertEquals(RuleRenderer.render(plan(), Set.of()), RuleRenderer.render(plan(), Set.of()));
  }

  @Test
  void aBadMetadataTargetOrAddressIsRefusedNotRendered() {
    HostNetworkPlan p = plan();
    HostNetworkPlan badTarget = new HostNetworkPlan(p.subnet(), "br0", "eth1", p.networks(), p.rules(),
        p.publicAddresses(), "clc.example.com:8773");
    assertThrows(IllegalArgumentException.class, () -> RuleRenderer.render(badTarget, Set.of()));
    HostNetworkPlan badAddress = new HostNetworkPlan(p.subnet(), "br0", "eth1", p.networks(), p.rules(),
        List.of(new PublicAssignment("203.0.113.300", "10.77.0.130")), null);
    assertThrows(IllegalArgumentException.class, () -> RuleRenderer.render(badAddress, Set.of()));
  }
}
