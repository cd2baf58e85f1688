package com.eucalyptus.cc.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.eucalyptus.cc.network.NetworkRefusal;
import com.eucalyptus.cc.network.model.GroupRef;
import com.eucalyptus.cc.network.model.IngressRule;
import com.eucalyptus.wsdl.cc.types.NetworkRule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkMessagesTest {
  static NetworkRule rule(String type, String dest, String protocol, Integer from, Integer to) {
    NetworkRule r = new NetworkRule();
    r.setType(type);
    r.setDestName(dest);
    if (protocol != null) {
      r.setProtocol(protocol);
    }
    if (from != null) {
      r.setPortRangeMin(from);
    }
    if (to != null) {
      r.setPortRangeMax(to);
    }
    return r;
  }

  @Test
  void closeThenOpensIsTheGroupsWholeSet() throws Exception {
    NetworkRule ssh = rule("firewall-open", "web", "TCP", 22, 22);
    ssh.addSourceNets("0.0.0.0/0");
    ssh.addSourceNets("10.2.3.4");
    NetworkRule ping = rule("firewall-open", "web", "icmp", -1, -1);
    ping.addUserNames("bob");
    ping.addSourceNames("db");
    ping.addSourceNames("own"); // no user name: the request's user
    NetworkRule all = rule("firewall-open", "web", null, null, null);
    all.addSourceNames("web");
    Map<String, List<IngressRule>> sets = NetworkMessages.ruleSets("alice",
        new NetworkRule[] {rule("firewall-close", "web", null, null, null), ssh, ping, all});
    List<IngressRule> web = sets.get("web");
    assertEquals(new IngressRule("tcp", 22, 22, List.of("0.0.0.0/0", "10.2.3.4/32"), List.of()), web.get(0));
    assertEquals(new IngressRule("icmp", -1, -1, List.of(), List.of(new GroupRef("bob", "db"), new GroupRef("alice", "own"))),
        web.get(1));
    List<GroupRef> self = List.of(new GroupRef("alice", "web"));
    assertEquals(List.of(new IngressRule("tcp", 0, 65535, List.of(), self), new IngressRule("udp", 0, 65535, List.of(), self),
        new IngressRule("icmp", -1, -1, List.of(), self)), web.subList(2, 5));
    // a close alone empties the set
    assertEquals(Map.of("web", List.of()), NetworkMessages.ruleSets("alice",
        new NetworkRule[] {rule("firewall-close", "web", null, null, null)}));
  }

  @Test
  void malformedRulesAreInvalidParameterValue() {
    NetworkRule badPorts = rule("firewall-open", "web", "tcp", 80, 22);
    badPorts.addSourceNets("0.0.0.0/0");
    NetworkRule badNet = rule("firewall-open", "web", "tcp", 22, 22);
    badNet.addSourceNets("10.0.0.0/33");
    NetworkRule noSource = rule("firewall-open", "web", "tcp", 22, 22);
    NetworkRule badProto = rule("firewall-open", "web", "gre", null, null);
    badProto.addSourceNets("0.0.0.0/0");
    for (NetworkRule r : new NetworkRule[] {badPorts, badNet, noSource, badProto, rule("firewall-maybe", "web", null, null, null)}) {
      NetworkRefusal e = assertThrows(NetworkRefusal.class, () -> NetworkMessages.ruleSets("alice", new NetworkRule[] {r}));
      assertEquals("InvalidParameterValue", e.code());
    }
  }
}
