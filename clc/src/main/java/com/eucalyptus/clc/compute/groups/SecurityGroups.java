package com.eucalyptus.clc.compute.groups;

import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.clc.persistence.SecurityGroupEntity;
import com.eucalyptus.clc.persistence.SecurityGroupRuleEntity;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.hibernate.Session;

/**
 * Users' security groups and their ingress rules. Every user has a group named {@code default}
 * (made on first use, no rules: all ingress closed, as in 1.5.2), which cannot be deleted.
 */
public final class SecurityGroups {
  public static final String DEFAULT = "default";
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Database db;

  public SecurityGroups(Database db) {
    this.db = db;
  }

  /** A group as stored, safe to use outside a transaction. */
  public record Group(String groupId, String owner, String name, String description, List<IngressRule> rules) {
    static Group of(SecurityGroupEntity e) {
      return new Group(e.groupId, e.owner, e.name, e.description,
          e.rules.stream().map(r -> new IngressRule(r.protocol, r.fromPort, r.toPort, r.cidr, r.sourceOwner,
              r.sourceGroup)).toList());
    }
  }

  /** A refusal the API turns into an EC2 error code. */
  public static final class GroupException extends RuntimeException {
    private final String code;

    GroupException(String code, String message) {
      super(message);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  public static void checkName(String name) {
    if (name == null || name.isEmpty() || name.length() > 255 || !name.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("a group name is 1 to 255 printable ASCII characters");
    }
  }

  public Group create(String owner, String name, String description) {
    checkName(name);
    if (description == null || description.length() > 255) {
      throw new IllegalArgumentException("a group description is up to 255 characters");
    }
    return db.tx(s -> {
      ensureDefault(s, owner);
      if (find(s, owner, name) != null) {
        throw new GroupException("InvalidGroup.Duplicate", "The security group '" + name + "' already exists");
      }
      return Group.of(insert(s, owner, name, description));
    });
  }

  public void delete(String owner, String name) {
    if (DEFAULT.equals(name)) {
      throw new GroupException("InvalidGroup.Reserved", "The security group 'default' is reserved and cannot be deleted");
    }
    db.tx(s -> {
      s.remove(require(s, owner, name));
      return null;
    });
  }

  /** The owner's groups (the default one included), or only those named, in name order. */
  public List<Group> list(String owner, List<String> names) {
    return db.tx(s -> {
      ensureDefault(s, owner);
      List<Group> all = s.createQuery("from SecurityGroupEntity where owner = :o order by name", SecurityGroupEntity.class)
          .setParameter("o", owner).getResultList().stream().map(Group::of).toList();
      if (names.isEmpty()) {
        return all;
      }
      for (String n : names) {
        if (all.stream().noneMatch(g -> g.name().equals(n))) {
          throw new GroupException("InvalidGroup.NotFound", "The security group '" + n + "' does not exist");
        }
      }
      return all.stream().filter(g -> names.contains(g.name())).toList();
    });
  }

  public Optional<Group> find(String owner, String name) {
    return db.tx(s -> {
      ensureDefault(s, owner);
      return Optional.ofNullable(find(s, owner, name)).map(Group::of);
    });
  }

  /** The name of the owner's group with this id (clients of newer API versions send GroupId). */
  public String nameOfId(String owner, String groupId) {
    return db.tx(s -> {
      SecurityGroupEntity e = s.find(SecurityGroupEntity.class, groupId);
      if (e == null || !e.owner.equals(owner)) {
        throw new GroupException("InvalidGroup.NotFound", "The security group '" + groupId + "' does not exist");
      }
      return e.name;
    });
  }

  /** Adds rules; all or none: a rule that is already there refuses the whole request, as EC2 does. */
  public void authorize(String owner, String name, List<IngressRule> rules) {
    db.tx(s -> {
      SecurityGroupEntity g = require(s, owner, name);
      for (IngressRule r : rules) {
        if (r.sourceGroup() != null && find(s, r.sourceOwner(), r.sourceGroup()) == null
            && !(DEFAULT.equals(r.sourceGroup()) && r.sourceOwner().equals(owner))) {
          throw new GroupException("InvalidGroup.NotFound", "The security group '" + r.sourceGroup() + "' of user "
              + r.sourceOwner() + " does not exist");
        }
        if (Group.of(g).rules().stream().anyMatch(r::sameAs)) {
          throw new GroupException("InvalidPermission.Duplicate", "the permission " + describe(r) + " is already in "
              + name);
        }
        g.rules.add(entity(r));
      }
      return null;
    });
  }

  /** Removes rules; a rule that is not there refuses the request (InvalidPermission.NotFound). */
  public void revoke(String owner, String name, List<IngressRule> rules) {
    db.tx(s -> {
      SecurityGroupEntity g = require(s, owner, name);
      for (IngressRule r : rules) {
        int at = Group.of(g).rules().indexOf(Group.of(g).rules().stream().filter(r::sameAs).findFirst().orElse(null));
        if (at < 0) {
          throw new GroupException("InvalidPermission.NotFound", "the permission " + describe(r) + " is not in " + name);
        }
        g.rules.remove(at);
      }
      return null;
    });
  }

  private static String describe(IngressRule r) {
    return r.protocol() + " " + r.fromPort() + "-" + r.toPort() + " from "
        + (r.cidr() != null ? r.cidr() : r.sourceOwner() + "/" + r.sourceGroup());
  }

  private static SecurityGroupRuleEntity entity(IngressRule r) {
    SecurityGroupRuleEntity e = new SecurityGroupRuleEntity();
    e.protocol = r.protocol();
    e.fromPort = r.fromPort();
    e.toPort = r.toPort();
    e.cidr = r.cidr();
    e.sourceOwner = r.sourceOwner();
    e.sourceGroup = r.sourceGroup();
    return e;
  }

  private static SecurityGroupEntity require(Session s, String owner, String name) {
    ensureDefault(s, owner);
    SecurityGroupEntity g = find(s, owner, name);
    if (g == null) {
      throw new GroupException("InvalidGroup.NotFound", "The security group '" + name + "' does not exist");
    }
    return g;
  }

  private static void ensureDefault(Session s, String owner) {
    if (find(s, owner, DEFAULT) == null) {
      insert(s, owner, DEFAULT, "default group");
    }
  }

  private static SecurityGroupEntity insert(Session s, String owner, String name, String description) {
    SecurityGroupEntity e = new SecurityGroupEntity();
    e.groupId = newGroupId(s);
    e.owner = owner;
    e.name = name;
    e.description = description;
    s.persist(e);
    return e;
  }

  private static String newGroupId(Session s) {
    while (true) {
      String id = String.format("sg-%08x", RANDOM.nextInt());
      if (s.find(SecurityGroupEntity.class, id) == null) {
        return id;
      }
    }
  }

  private static SecurityGroupEntity find(Session s, String owner, String name) {
    return s.createQuery("from SecurityGroupEntity where owner = :o and name = :n", SecurityGroupEntity.class)
        .setParameter("o", owner).setParameter("n", name).getResultStream().findFirst().orElse(null);
  }
}
