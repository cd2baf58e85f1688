package com.eucalyptus.clc.api.actions;

import com.eucalyptus.clc.accounts.Accounts;
import com.eucalyptus.clc.api.Ec2Action;
import com.eucalyptus.clc.api.Ec2Exception;
import com.eucalyptus.clc.api.QueryRequest;
import com.eucalyptus.clc.api.Xml;
import com.eucalyptus.clc.compute.Refused;
import com.eucalyptus.clc.compute.addresses.AddressPool;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The elastic-IP actions of EC2's 2008-12-01 API: AllocateAddress, ReleaseAddress, DescribeAddresses,
 * AssociateAddress, DisassociateAddress (the rules are {@link AddressPool}'s). Users see their own
 * addresses; the administrator sees the whole pool as 1.5.2 showed it, the owner in the instanceId
 * field: {@code nobody} for a free address, {@code available (alice)} for one allocated and not
 * associated, {@code i-12345678 (alice)} for one associated ({@code eucalyptus} is the system: an
 * address given at launch or kept for launches). Clients of later versions get {@code domain}
 * standard (there is no VPC); AllocationId and AssociationId name VPC addresses, which do not exist.
 */
public final class AddressActions {
  /** the first API version with VPC addresses, whose answers carry domain */
  private static final String DOMAIN_SINCE = "2011-01-01";
  private final AddressPool pool;

  public AddressActions(AddressPool pool) {
    this.pool = pool;
  }

  public List<Ec2Action> all() {
    return List.of(
        new SimpleAction("AllocateAddress", false, this::allocate),
        new SimpleAction("ReleaseAddress", false, this::release),
        new SimpleAction("DescribeAddresses", false, this::describe),
        new SimpleAction("AssociateAddress", false, this::associate),
        new SimpleAction("DisassociateAddress", false, this::disassociate));
  }

  private void allocate(QueryRequest r, Accounts.User caller, Xml out) {
    String domain = r.param("Domain");
    if (domain != null && !domain.isBlank() && !domain.equals("standard")) {
      throw Ec2Exception.invalidParameter("Domain must be 'standard': this cloud has no VPC addresses");
    }
    String ip = guarded(() -> pool.allocate(caller.name(), caller.admin()));
    out.leaf("publicIp", ip);
    if (newer(r)) {
      out.leaf("domain", "standard");
    }
  }

  private void release(QueryRequest r, Accounts.User caller, Xml out) {
    String ip = publicIp(r, "AllocationId", "InvalidAllocationID.NotFound");
    guarded(() -> {
      pool.release(ip, caller.name(), caller.admin());
      return null;
    });
    out.leaf("return", true);
  }

  private void associate(QueryRequest r, Accounts.User caller, Xml out) {
    String ip = publicIp(r, "AllocationId", "InvalidAllocationID.NotFound");
    String instanceId = r.required("InstanceId");
    guarded(() -> {
      pool.associate(ip, instanceId, caller.name(), caller.admin());
      return null;
    });
    out.leaf("return", true);
  }

  private void disassociate(QueryRequest r, Accounts.User caller, Xml out) {
    String ip = publicIp(r, "AssociationId", "InvalidAssociationID.NotFound");
    guarded(() -> {
      pool.disassociate(ip, caller.name(), caller.admin());
      return null;
    });
    out.leaf("return", true);
  }

  private void describe(QueryRequest r, Accounts.User caller, Xml out) {
    List<String> named = CloudActions.indexed(r.params(), "PublicIp");
    List<String> allocationIds = CloudActions.indexed(r.params(), "AllocationId");
    if (!allocationIds.isEmpty()) {
      throw new Ec2Exception(400, "InvalidAllocationID.NotFound", "The allocation ID '" + allocationIds.get(0)
          + "' does not exist: this cloud has no VPC addresses");
    }
    boolean admin = caller.admin();
    Map<String, AddressPool.Address> visible = new LinkedHashMap<>();
    for (AddressPool.Address a : pool.describe()) {
      if (admin || caller.name().equals(a.owner())) {
        visible.put(a.publicIp(), a);
      }
    }
    for (String ip : named) {
      if (!visible.containsKey(ip.trim())) {
        throw new Ec2Exception(400, "InvalidAddress.NotFound", "Address '" + ip + "' not found.");
      }
    }
    Predicate<AddressPool.Address> filter = filters(r);
    boolean newer = newer(r);
    out.open("addressesSet");
    for (AddressPool.Address a : visible.values()) {
      if ((!named.isEmpty() && named.stream().noneMatch(n -> n.trim().equals(a.publicIp()))) || !filter.test(a)) {
        continue;
      }
      out.open("item").leaf("publicIp", a.publicIp());
      String instance = admin ? adminView(a) : a.instanceId();
      if (instance != null || !newer) {
        out.leaf("instanceId", instance == null ? "" : instance); // 2008-12-01's empty element; later EC2 leaves it out
      }
      if (newer) {
        out.leaf("domain", "standard");
      }
      out.close("item");
    }
    out.close("addressesSet");
  }

  /** 1.5.2's administrator's view of an address: "nobody", "available (owner)" or "i-… (owner)". */
  static String adminView(AddressPool.Address a) {
    if (a.owner() == null) {
      return "nobody";
    }
    return (a.instanceId() == null ? "available" : a.instanceId()) + " (" + a.owner() + ")";
  }

  /** Later clients' Filter.N: public-ip, instance-id and domain (the others match nothing). */
  private static Predicate<AddressPool.Address> filters(QueryRequest r) {
    Predicate<AddressPool.Address> p = a -> true;
    for (int i = 1; r.params().containsKey("Filter." + i + ".Name"); i++) {
      String name = r.params().get("Filter." + i + ".Name");
      List<String> values = CloudActions.indexed(r.params(), "Filter." + i + ".Value");
      Predicate<AddressPool.Address> one = switch (name) {
        case "public-ip" -> a -> values.contains(a.publicIp());
        case "instance-id" -> a -> a.instanceId() != null && values.contains(a.instanceId());
        case "domain" -> a -> values.contains("standard");
        default -> a -> false;
      };
      p = p.and(one);
    }
    return p;
  }

  /** PublicIp, the 2008-12-01 API's name of an address; the VPC's id parameter names nothing here. */
  private static String publicIp(QueryRequest r, String vpcIdParam, String vpcNotFound) {
    String ip = r.param("PublicIp");
    if (ip != null && !ip.isBlank()) {
      return ip.trim();
    }
    String id = r.param(vpcIdParam);
    if (id != null && !id.isBlank()) {
      throw new Ec2Exception(400, vpcNotFound, "The ID '" + id + "' does not exist: this cloud has no VPC addresses");
    }
    throw Ec2Exception.missingParameter("PublicIp");
  }

  private static boolean newer(QueryRequest r) {
    String v = r.param("Version");
    return v != null && v.compareTo(DOMAIN_SINCE) >= 0;
  }

  private static <T> T guarded(java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (Refused e) {
      throw new Ec2Exception(e.status(), e.code(), e.getMessage());
    }
  }
}
