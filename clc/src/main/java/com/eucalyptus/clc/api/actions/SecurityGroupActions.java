package com.eucalyptus.clc.api.actions;

import com.eucalyptus.clc.accounts.Accounts;
import com.eucalyptus.clc.api.Ec2Action;
import com.eucalyptus.clc.api.Ec2Exception;
import com.eucalyptus.clc.api.QueryRequest;
import com.eucalyptus.clc.api.Xml;
import com.eucalyptus.clc.compute.groups.IngressRule;
import com.eucalyptus.clc.compute.groups.SecurityGroups;
import com.eucalyptus.clc.compute.network.GroupNetworks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The security-group actions. Groups are addressed by name (the 2008-12-01 API) or by GroupId
 * (later clients); ingress rules come in the old flat form (IpProtocol, FromPort, CidrIp,
 * SourceSecurityGroupName ...) or as IpPermissions.N.*. A change of rules reaches the clusters where
 * the group has instances at once (running guests included); a group with instances cannot be
 * deleted.
 */
public final class SecurityGroupActions {
  private final SecurityGroups groups;
  private final GroupNetworks networks;

  public SecurityGroupActions(SecurityGroups groups, GroupNetworks networks) {
    this.groups = groups;
    this.networks = networks;
  }

  public List<Ec2Action> all() {
    return List.of(
        new SimpleAction("CreateSecurityGroup", false, this::create),
        new SimpleAction("DeleteSecurityGroup", false, this::delete),
        new SimpleAction("DescribeSecurityGroups", false, this::describe),
        new SimpleAction("AuthorizeSecurityGroupIngress", false,
            (r, c, out) -> change(r, c, out, true)),
        new SimpleAction("RevokeSecurityGroupIngress", false,
            (r, c, out) -> change(r, c, out, false)));
  }

  private void create(QueryRequest r, Accounts.User caller, Xml out) {
    String name = r.required("GroupName");
    SecurityGroups.Group g = guarded(() -> groups.create(caller.name(), name, r.required("GroupDescription")));
    out.leaf("return", true).leaf("groupId", g.groupId());
  }

  private void delete(QueryRequest r, Accounts.User caller, Xml out) {
    String name = groupName(r, caller);
    List<String> users = networks.instancesIn(caller.name(), name).stream().map(e -> e.instanceId).toList();
    if (!users.isEmpty()) {
      // EC2's refusal: its guests' network and rules live as long as they do
      throw new Ec2Exception(400, "InvalidGroup.InUse", "There are active instances using security group '" + name
          + "': " + String.join(", ", users));
    }
    guarded(() -> {
      groups.delete(caller.name(), name);
      return null;
    });
    out.leaf("return", true);
  }

  private void describe(QueryRequest r, Accounts.User caller, Xml out) {
    List<String> names = new ArrayList<>(CloudActions.indexed(r.params(), "GroupName"));
    for (String id : CloudActions.indexed(r.params(), "GroupId")) {
      names.add(guarded(() -> groups.nameOfId(caller.name(), id)));
    }
    List<SecurityGroups.Group> found = guarded(() -> groups.list(caller.name(), names));
    out.open("securityGroupInfo");
    for (SecurityGroups.Group g : found) {
      out.open("item").leaf("ownerId", g.owner()).leaf("groupId", g.groupId()).leaf("groupName", g.name())
          .leaf("groupDescription", g.description()).open("ipPermissions");
      for (IngressRule rule : g.rules()) {
        out.open("item").leaf("ipProtocol", rule.protocol()).leaf("fromPort", rule.fromPort())
            .leaf("toPort", rule.toPort()).open("groups");
        if (rule.sourceGroup() != null) {
          out.open("item").leaf("userId", rule.sourceOwner()).leaf("groupName", rule.sourceGroup()).close("item");
        }
        out.close("groups").open("ipRanges");
        if (rule.cidr() != null) {
          out.open("item").leaf("cidrIp", rule.cidr()).close("item");
        }
        out.close("ipRanges").close("item");
      }
      out.close("ipPermissions").close("item");
    }
    out.close("securityGroupInfo");
  }

  private void change(QueryRequest r, Accounts.User caller, Xml out, boolean authorize) {
    String name = groupName(r, caller);
    List<IngressRule> rules = guarded(() -> rules(r.params(), caller));
    if (rules.isEmpty()) {
      throw Ec2Exception.missingParameter("IpPermissions (or IpProtocol/CidrIp/SourceSecurityGroupName)");
    }
    guarded(() -> {
      if (authorize) {
        groups.authorize(caller.name(), name, rules);
      } else {
        groups.revoke(caller.name(), name, rules);
      }
      return null;
    });
    networks.rulesChanged(caller.name(), name);
    out.leaf("return", true);
  }

  private String groupName(QueryRequest r, Accounts.User caller) {
    String name = r.param("GroupName");
    if (name != null && !name.isEmpty()) {
      return name;
    }
    String id = r.param("GroupId");
    if (id == null || id.isEmpty()) {
      throw Ec2Exception.missingParameter("GroupName");
    }
    return guarded(() -> groups.nameOfId(caller.name(), id));
  }

  /** The rules of a request, in either of the API's two forms. */
  static List<IngressRule> rules(Map<String, String> p, Accounts.User caller) {
    List<IngressRule> out = new ArrayList<>();
    if (p.containsKey("IpProtocol") || p.containsKey("CidrIp") || p.containsKey("SourceSecurityGroupName")) {
      out.addAll(permission(p, "", "CidrIp", "SourceSecurityGroupName", "SourceSecurityGroupOwnerId", caller));
    }
    for (int i = 1; p.containsKey("IpPermissions." + i + ".IpProtocol"); i++) {
      String prefix = "IpPermissions." + i + ".";
      List<String> cidrs = new ArrayList<>();
      for (int j = 1; p.containsKey(prefix + "IpRanges." + j + ".CidrIp"); j++) {
        cidrs.add(p.get(prefix + "IpRanges." + j + ".CidrIp"));
      }
      for (String cidr : cidrs) {
        out.add(rule(p, prefix, cidr, null, null));
      }
      for (int j = 1; p.containsKey(prefix + "Groups." + j + ".GroupName"); j++) {
        String owner = p.getOrDefault(prefix + "Groups." + j + ".UserId", caller.name());
        out.add(rule(p, prefix, null, owner.isEmpty() ? caller.name() : owner, p.get(prefix + "Groups." + j + ".GroupName")));
      }
    }
    return out;
  }

  /** The flat form: one CIDR or one source group; a group without a protocol means all of them. */
  private static List<IngressRule> permission(Map<String, String> p, String prefix, String cidrKey, String groupKey,
      String ownerKey, Accounts.User caller) {
    String cidr = p.get(prefix + cidrKey);
    String group = p.get(prefix + groupKey);
    String owner = p.getOrDefault(prefix + ownerKey, caller.name());
    owner = owner.isEmpty() ? caller.name() : owner;
    if (group != null && !p.containsKey(prefix + "IpProtocol")) {
      return List.of(new IngressRule("tcp", 0, 65535, null, owner, group),
          new IngressRule("udp", 0, 65535, null, owner, group), new IngressRule("icmp", -1, -1, null, owner, group));
    }
    return List.of(rule(p, prefix, group == null ? (cidr == null ? "0.0.0.0/0" : cidr) : null,
        group == null ? null : owner, group));
  }

  private static IngressRule rule(Map<String, String> p, String prefix, String cidr, String owner, String group) {
    String protocol = p.getOrDefault(prefix + "IpProtocol", "");
    int from = port(p.get(prefix + "FromPort"), protocol);
    int to = port(p.get(prefix + "ToPort"), protocol);
    return new IngressRule(protocol, from, to, cidr, owner, group);
  }

  private static int port(String value, String protocol) {
    if (value == null || value.isEmpty()) {
      return "icmp".equalsIgnoreCase(protocol) ? -1 : 0;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + value + "' is not a port number");
    }
  }

  private static <T> T guarded(Supplier<T> work) {
    try {
      return work.get();
    } catch (SecurityGroups.GroupException e) {
      throw new Ec2Exception(400, e.code(), e.getMessage());
    } catch (IllegalArgumentException e) {
      throw Ec2Exception.invalidParameter(e.getMessage());
    }
  }
}
