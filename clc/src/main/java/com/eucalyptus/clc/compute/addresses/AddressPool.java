package com.eucalyptus.clc.compute.addresses;

import com.eucalyptus.clc.compute.Refused;
import com.eucalyptus.clc.cluster.CcStatus;
import com.eucalyptus.clc.cluster.ClusterClient;
import com.eucalyptus.clc.cluster.Clusters;
import com.eucalyptus.clc.compute.instances.InstanceState;
import com.eucalyptus.clc.compute.instances.Instances;
import com.eucalyptus.clc.compute.instances.PublicAddressBook;
import com.eucalyptus.clc.persistence.AddressEntity;
import com.eucalyptus.clc.persistence.ClusterEntity;
import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.clc.persistence.InstanceEntity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The public addresses (elastic IPs) of the cloud: the union of the clusters' pools, who holds each
 * and which instance it is assigned to, in the database. The rules are 1.5.2's (AddressManager):
 * users allocate up to {@code cloud.addresses.max.per.user} (the administrator without limit); a
 * launch gives each instance a free address (dynamic addressing) or one of those the system keeps
 * for launches (dynamic addressing off); an instance whose address is taken away (disassociated,
 * released, moved to another instance) gets a system address again when one is free; an ended
 * instance's address goes back (a user's stays allocated to the user). An address belongs to its
 * cluster: only that cluster's instances can have it. Every change is serialised in this CLC;
 * the CC is told with AssignAddress/UnassignAddress.
 */
public final class AddressPool {
  private static final Logger LOG = LogManager.getLogger(AddressPool.class);

  /** One address as stored; owner null = free, {@link AddressEntity#SYSTEM} = the system's. */
  public record Address(String publicIp, String cluster, String owner, String instanceId, String privateIp) {
    public boolean system() {
      return AddressEntity.SYSTEM.equals(owner);
    }

    static Address of(AddressEntity e) {
      return new Address(e.publicIp, e.cluster, e.owner, e.instanceId, e.privateIp);
    }
  }

  private final Database db;
  private final Instances instances;
  private final Clusters clusters;
  private final ClusterClient client;
  private final Supplier<AddressSettings> settings;
  private final ClusterPools pools;
  /** counts this CLC's changes: a CC's view taken while one happened is not compared with the database */
  private long changes;

  public AddressPool(Database db, Instances instances, Clusters clusters, ClusterClient client,
      Supplier<AddressSettings> settings) {
    this.db = db;
    this.instances = instances;
    this.clusters = clusters;
    this.client = client;
    this.settings = settings;
    this.pools = new ClusterPools(db, client);
  }

  // ------------------------------------------------------------------ the pool from the clusters

  /**
   * Asks every registered cluster for its addresses (DescribePublicAddresses), at the cluster
   * poller's cadence and at need: new addresses join the pool as free, free ones a CC no longer
   * lists leave it. Where the CC's assignments differ from the database (a CC restarted without its
   * state, a message lost), the database wins and the CC is told again; that is the only thing sent
   * after a CLC restart, and only where the CC is wrong. Addresses of instances that have ended meanwhile
   * go back.
   */
  public void refresh() {
    for (ClusterEntity c : clusters.registered()) {
      long before;
      synchronized (this) {
        before = changes;
      }
      ClusterClient.PublicAddresses answer = pools.ask(c);
      if (answer == null) {
        continue; // not answering: its addresses stay as they are
      }
      synchronized (this) {
        pools.take(c, answer, before == changes);
      }
    }
    synchronized (this) {
      releaseEnded();
      AddressingMode.apply(db, settings.get());
    }
  }

  /** Whether some cluster has a pool (what a user is told when there is no address). */
  private boolean anyPool() {
    // a cluster that has not said it has none (or not answered yet) may have one
    return !all().isEmpty() || clusters.registered().stream().anyMatch(c -> !pools.withoutPool().containsKey(c.name));
  }

  // ------------------------------------------------------------------ what users see

  /** Every address of the pool, in address order. */
  public List<Address> all() {
    return db.tx(s -> s.createQuery("from AddressEntity", AddressEntity.class).getResultList().stream().map(Address::of)
        .sorted(Comparator.comparingLong(a -> order(a.publicIp()))).toList());
  }

  /** Who has which address now, for the instance poller. */
  public PublicAddressBook book() {
    Map<String, String> assigned = new HashMap<>();
    java.util.Set<String> pool = new java.util.HashSet<>();
    for (Address a : all()) {
      pool.add(a.publicIp());
      if (a.instanceId() != null) {
        assigned.put(a.instanceId(), a.publicIp());
      }
    }
    return new PublicAddressBook(assigned, pool);
  }

  /** The pool as 1.5.2 showed it: the mode applied first (the addresses kept for launches). */
  public synchronized List<Address> describe() {
    AddressingMode.apply(db, settings.get());
    return all();
  }

  public Optional<Address> find(String publicIp) {
    return db.tx(s -> Optional.ofNullable(s.find(AddressEntity.class, publicIp)).map(Address::of));
  }

  // ------------------------------------------------------------------ the user's actions

  /** AllocateAddress: a free address (lowest first) for the user. */
  public synchronized String allocate(String user, boolean admin) {
    AddressSettings s = settings.get();
    AddressingMode.apply(db, s);
    if (!admin) {
      long held = all().stream().filter(a -> user.equals(a.owner())).count();
      if (held >= s.maxPerUser()) {
        throw new Refused("AddressLimitExceeded", "You have " + held + " address(es): the most a user may "
            + "allocate is " + s.maxPerUser() + " (cloud.addresses.max.per.user)");
      }
    }
    Address free = firstFree(null);
    if (free == null) {
      refresh(); // at need: a cluster registered or a pool grown since the last poll
      AddressingMode.apply(db, s);
      free = firstFree(null);
    }
    if (free == null) {
      throw noAddress(s);
    }
    String ip = free.publicIp();
    change(ip, e -> e.owner = user);
    LOG.info("address {} allocated to {}", ip, user);
    return ip;
  }

  private Refused noAddress(AddressSettings s) {
    if (!anyPool()) {
      StringBuilder why = new StringBuilder();
      pools.withoutPool().forEach((c, m) -> why.append("; cluster ").append(c).append(": ").append(m));
      return new Refused("UnsupportedOperation", "This cloud has no public addresses: elastic IPs need a cluster "
          + "in VNET_MODE MANAGED-NOVLAN (or MANAGED) with VNET_PUBLICIPS" + why);
    }
    return new Refused("InsufficientAddressCapacity", "No public address is free" + (s.dynamic() ? ""
        : " (with cloud.addresses.dynamic=false, " + s.reservedForLaunches() + " are kept for launches)"));
  }

  /** ReleaseAddress: the address goes back to the pool, disassociated first if it is associated (as EC2). */
  public synchronized void release(String publicIp, String user, boolean admin) {
    Address a = held(publicIp, user, admin);
    if (a == null) {
      return;
    }
    if (a.instanceId() != null) {
      unassign(a);
      giveSystemAddress(a.instanceId(), a.publicIp()); // not this one (the administrator may release the system's)
    }
    change(a.publicIp(), e -> e.owner = null);
    AddressingMode.apply(db, settings.get());
    LOG.info("address {} released by {}", publicIp, user);
  }

  /**
   * AssociateAddress: moves the address to the instance. The instance's present address goes back
   * (the system's to the pool, a user's stays allocated); an instance the address is taken from
   * gets a system address again when one is free.
   */
  public synchronized void associate(String publicIp, String instanceId, String user, boolean admin) {
    AddressingMode.apply(db, settings.get());
    Address a = held(publicIp, user, admin);
    if (a == null) {
      throw new Refused("AuthFailure", "The address '" + publicIp + "' is not allocated: allocate it first");
    }
    InstanceEntity i = instances.find(instanceId).filter(e -> admin || e.owner.equals(user))
        .orElseThrow(() -> new Refused("InvalidInstanceID.NotFound", "The instance ID '" + instanceId
            + "' does not exist"));
    InstanceState state = InstanceState.of(i.state);
    if (!(state == InstanceState.PENDING || state == InstanceState.RUNNING) || !known(i.privateIp)) {
      throw new Refused("IncorrectInstanceState", "The instance '" + instanceId + "' is " + state.label()
          + (known(i.privateIp) ? "" : " and has no private address yet") + ": an address can be associated with a "
          + "pending or running instance that has its private address");
    }
    if (!a.cluster().equals(i.cluster)) {
      throw new Refused("InvalidParameterCombination", "The address " + publicIp + " belongs to cluster "
          + a.cluster() + " and the instance " + instanceId + " runs in " + i.cluster + ": an instance can only have "
          + "its own cluster's addresses");
    }
    if (instanceId.equals(a.instanceId())) {
      return; // already there: EC2 answers true
    }
    for (Address current : assignedTo(instanceId)) {
      unassign(current);
      if (current.system()) {
        giveBack(current.publicIp());
      }
    }
    String previous = a.instanceId();
    if (previous != null) {
      unassign(a);
    }
    try {
      assign(publicIp, i);
    } catch (Refused e) {
      giveSystemAddress(instanceId);
      throw e;
    } finally {
      if (previous != null) {
        giveSystemAddress(previous);
      }
    }
    LOG.info("address {} associated with {} ({}) by {}", publicIp, instanceId, i.privateIp, user);
  }

  /** DisassociateAddress: the instance gets a system address again when one is free; true when not associated. */
  public synchronized void disassociate(String publicIp, String user, boolean admin) {
    Address a = held(publicIp, user, admin);
    if (a == null || a.instanceId() == null) {
      return;
    }
    unassign(a);
    if (a.system()) {
      giveBack(publicIp); // the administrator took a launch's address away: not given back to the same instance
      AddressingMode.apply(db, settings.get());
    }
    giveSystemAddress(a.instanceId(), publicIp);
    LOG.info("address {} disassociated from {} by {}", publicIp, a.instanceId(), user);
  }

  /**
   * The address the caller may act on. Unknown: InvalidAddress.NotFound; another's (or nobody's)
   * for a user: AuthFailure, as EC2. For the administrator any address; null when it is free.
   */
  private Address held(String publicIp, String user, boolean admin) {
    Address a = find(publicIp == null ? "" : publicIp.trim()).orElseThrow(() -> new Refused(
        "InvalidAddress.NotFound", "Address '" + publicIp + "' not found."));
    if (admin) {
      return a.owner() == null ? null : a;
    }
    if (!user.equals(a.owner())) {
      throw new Refused("AuthFailure", "The address '" + publicIp + "' does not belong to you.");
    }
    return a;
  }

  // ------------------------------------------------------------------ launches and ended instances

  /**
   * After the CC started an instance (its private address known): a system address when the
   * instance was not launched with AddressingType=private and one is free (dynamic addressing on)
   * or kept for launches (off).
   *
   * @return the public address, or null when the instance got none
   */
  public synchronized String assignAtLaunch(String instanceId) {
    String cluster = instances.find(instanceId).map(e -> e.cluster).orElse("");
    if (!pools.withoutPool().containsKey(cluster) && all().stream().noneMatch(a -> a.cluster().equals(cluster))) {
      refresh(); // at need: the first launch after a CLC start may come before the first poll
    }
    AddressingMode.apply(db, settings.get());
    return giveSystemAddress(instanceId);
  }

  /** The instances have ended: their addresses go back (a user's stays allocated to the user). */
  public synchronized void instancesEnded(List<String> instanceIds) {
    for (String id : instanceIds) {
      for (Address a : assignedTo(id)) {
        unassign(a);
        if (a.system()) {
          giveBack(a.publicIp());
        }
        LOG.info("address {} of ended instance {} is back ({})", a.publicIp(), id, a.system() ? "to the pool" : a.owner());
      }
    }
    AddressingMode.apply(db, settings.get());
  }

  /**
   * Addresses still assigned to an instance that has ended or is no longer known (the poller's
   * word was lost, say in a CLC crash). A shutting-down instance keeps its address: its node may
   * come back (docs/instances.md).
   */
  private void releaseEnded() {
    List<String> ended = new ArrayList<>();
    for (Address a : all()) {
      if (a.instanceId() != null && instances.find(a.instanceId())
          .map(e -> InstanceState.of(e.state) == InstanceState.TERMINATED).orElse(true)) {
        ended.add(a.instanceId());
      }
    }
    if (!ended.isEmpty()) {
      instancesEnded(ended.stream().distinct().toList());
    }
  }

  private String giveSystemAddress(String instanceId) {
    return giveSystemAddress(instanceId, null);
  }

  /** A system address (but not {@code except}) for the instance if it should have one and has none; null otherwise. */
  private String giveSystemAddress(String instanceId, String except) {
    InstanceEntity i = instances.find(instanceId).orElse(null);
    if (i == null || !InstanceState.of(i.state).alive() || Boolean.TRUE.equals(i.privateAddressing)
        || !known(i.privateIp) || !assignedTo(instanceId).isEmpty()) {
      return null;
    }
    AddressSettings s = settings.get();
    Address a = all().stream().filter(x -> x.instanceId() == null && x.cluster().equals(i.cluster)
        && !x.publicIp().equals(except) && (s.dynamic() ? x.owner() == null : x.system())).findFirst().orElse(null);
    if (a == null) {
      LOG.info("no public address for {} in cluster {}: it keeps its private address only", instanceId, i.cluster);
      return null;
    }
    change(a.publicIp(), e -> e.owner = AddressEntity.SYSTEM);
    try {
      assign(a.publicIp(), i);
      return a.publicIp();
    } catch (Refused e) {
      LOG.warn("the system address {} could not be given to {}: {}", a.publicIp(), instanceId, e.getMessage());
      if (s.dynamic()) {
        change(a.publicIp(), x -> x.owner = null);
      }
      return null;
    }
  }

  /** Records the assignment and has the cluster make it; undone when the CC refuses or does not answer. */
  private void assign(String publicIp, InstanceEntity i) {
    change(publicIp, e -> {
      e.instanceId = i.instanceId;
      e.privateIp = i.privateIp;
    });
    ClusterEntity c = cluster(i.cluster);
    String refusal;
    String code;
    int status = 400;
    try {
      if (c == null) {
        throw new IllegalStateException("the cluster " + i.cluster + " is not registered");
      }
      ClusterClient.Answer answer = client.assignAddress(c.host, c.port, publicIp, i.privateIp);
      if (answer.ok()) {
        instances.update(i.instanceId, e -> e.publicIp = publicIp);
        return;
      }
      CcStatus st = CcStatus.parse(answer.message(), "InvalidParameterValue");
      code = st.code();
      refusal = st.message();
    } catch (Exception e) {
      code = "Unavailable";
      status = 503;
      refusal = "The cluster " + i.cluster + " did not answer: " + e.getMessage();
    }
    change(publicIp, e -> {
      e.instanceId = null;
      e.privateIp = null;
    });
    throw new Refused(status, code, refusal);
  }

  /** Has the cluster undo the assignment (best effort: the instance may be gone) and records it undone. */
  private void unassign(Address a) {
    ClusterEntity c = cluster(a.cluster());
    if (c != null && a.privateIp() != null) {
      pools.send(c, "UnassignAddress", a.publicIp(), a.privateIp(), false);
    }
    change(a.publicIp(), e -> {
      e.instanceId = null;
      e.privateIp = null;
    });
    if (a.instanceId() != null) {
      // the CC's convention: an instance without a public address shows its private one
      instances.update(a.instanceId(), e -> {
        if (a.publicIp().equals(e.publicIp)) {
          e.publicIp = e.privateIp;
        }
      });
    }
  }

  /** A system address no longer needed: free with dynamic addressing, else kept for launches. */
  private void giveBack(String publicIp) {
    if (settings.get().dynamic()) {
      change(publicIp, e -> {
        if (e.instanceId == null) {
          e.owner = null;
        }
      });
    }
  }

  // ------------------------------------------------------------------ small helpers

  private Address firstFree(String cluster) {
    return all().stream().filter(a -> a.owner() == null && (cluster == null || a.cluster().equals(cluster)))
        .findFirst().orElse(null);
  }

  private List<Address> assignedTo(String instanceId) {
    return all().stream().filter(a -> instanceId.equals(a.instanceId())).toList();
  }

  private void change(String publicIp, Consumer<AddressEntity> change) {
    db.tx(s -> {
      AddressEntity e = s.find(AddressEntity.class, publicIp);
      if (e != null) {
        change.accept(e);
      }
      return null;
    });
    changes++;
  }

  private ClusterEntity cluster(String name) {
    return clusters.registered().stream().filter(c -> c.name.equals(name)).findFirst().orElse(null);
  }

  static boolean known(String ip) {
    return ip != null && !ip.isBlank() && !ip.equals("0.0.0.0");
  }

  /** IPv4 addresses in numeric order (others after them, as text would). */
  static long order(String ip) {
    String[] p = ip.split("\\.");
    if (p.length != 4) {
      return Long.MAX_VALUE;
    }
    long v = 0;
    try {
      for (String x : p) {
        v = v * 256 + Integer.parseInt(x);
      }
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
    return v;
  }
}
