package com.eucalyptus.cc.network;

import com.eucalyptus.cc.instances.Instance;
import com.eucalyptus.cc.instances.InstanceTable;
import com.eucalyptus.cc.network.config.VnetConfig;
import com.eucalyptus.cc.network.dhcp.DhcpDaemon;
import com.eucalyptus.cc.network.dhcp.DhcpdConfig;
import com.eucalyptus.cc.network.host.HostNetwork;
import com.eucalyptus.cc.network.managed.AddressPlan;
import com.eucalyptus.cc.network.managed.GroupLinks;
import com.eucalyptus.cc.network.managed.SharedInterface;
import com.eucalyptus.cc.network.managed.TransportBridges;
import com.eucalyptus.cc.network.model.ActiveNetwork;
import com.eucalyptus.cc.network.model.GroupRef;
import com.eucalyptus.cc.network.model.HostNetworkPlan;
import com.eucalyptus.cc.network.model.IngressRule;
import com.eucalyptus.cc.network.model.Ipv4Block;
import com.eucalyptus.cc.network.model.PublicAssignment;
import com.eucalyptus.cc.network.state.NetworkState;
import com.eucalyptus.cc.network.state.NetworkState.Assignment;
import com.eucalyptus.cc.network.state.NetworkStateStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * VNET_MODE MANAGED-NOVLAN and MANAGED, one implementation: every active security group has a
 * block of the address plan (its network index from the CLC); its instances keep the MAC the CLC
 * gave them and get an address of that block from the CC's dhcpd; the CC holds each block's
 * router address, enforces the groups' rules and maps the elastic IPs of VNET_PUBLICIPS (through
 * {@link HostNetwork}); 169.254.169.254:80 leads to the CLC's metadata service. An instance is in
 * exactly one group (a known limit of 1.5.2). The modes differ only in where each network meets
 * the CC ({@link GroupLinks}): MANAGED-NOVLAN puts every router on VNET_PRIVINTERFACE; MANAGED
 * gives each network a bridge of its own, joined to the nodes by VNET_TRANSPORT, made before its
 * router is added and taken away on StopNetwork.
 *
 * <p>All of it is one {@link NetworkState}: every change builds the next state, saves it, makes the
 * host match it ({@link HostNetwork#apply}) and rewrites dhcpd. If the host cannot be made to
 * match, the change is undone (the old state saved and applied again) and refused, so the CLC and
 * the CC never disagree about what was done.
 */
public final class ManagedNetworkMode implements NetworkMode {
  private static final Logger LOG = LogManager.getLogger(ManagedNetworkMode.class);
  /** The CLC's port for the metadata service (/latest/ on its EC2 port). */
  static final int METADATA_PORT = 8773;
  private final VnetConfig config;
  private final AddressPlan plan;
  private final NetworkStateStore store;
  private final DhcpDaemon dhcpd;
  private final HostNetwork host;
  private final Path preload;
  private final GroupLinks links;
  private NetworkState state = NetworkState.EMPTY;
  private HostNetworkPlan applied;

  /**
   * MANAGED-NOVLAN.
   *
   * @param preload the administrator's iptables-preload file (var/run/eucalyptus/net/iptables-preload)
   */
  public ManagedNetworkMode(VnetConfig config, NetworkStateStore store, DhcpDaemon dhcpd, HostNetwork host, Path preload) {
    this(config, store, dhcpd, host, preload, new SharedInterface(config.privateInterface()));
  }

  /** @param links where each network meets the CC: {@link SharedInterface} (MANAGED-NOVLAN), {@link TransportBridges} (MANAGED) */
  public ManagedNetworkMode(VnetConfig config, NetworkStateStore store, DhcpDaemon dhcpd, HostNetwork host, Path preload,
      GroupLinks links) {
    this.links = Objects.requireNonNull(links);
    this.config = config;
    this.plan = new AddressPlan(config.subnet(), config.addrsPerNet());
    this.store = store;
    this.dhcpd = dhcpd;
    this.host = Objects.requireNonNull(host, "the MANAGED modes need the front end's host networking");
    this.preload = preload;
  }

  @Override
  public String name() {
    return config.mode().confValue();
  }

  @Override
  public boolean startsNetworkOnNodes() {
    return true;
  }

  @Override
  public boolean stopsNetworkOnNodes() {
    return links.perNetworkOnNodes();
  }

  @Override
  public synchronized List<Integer> activeIndexes() {
    return state.networks().values().stream().sorted().toList();
  }

  @Override
  public synchronized boolean indexInUse(int vlan) {
    return state.networks().containsValue(vlan);
  }

  @Override
  public List<String> remoteHosts(String nodeHost) {
    return links.remoteHosts(nodeHost);
  }

  @Override
  public int remoteHostPort() {
    return links.remoteHostPort();
  }

  /** Applies the iptables-preload file, then rebuilds everything from the saved state. */
  @Override
  public synchronized void start() throws NetworkRefusal {
    NetworkState saved;
    try {
      saved = store.load();
    } catch (IOException e) {
      throw new NetworkRefusal("cannot read the saved network state (move it away to start afresh): " + e.getMessage(), e);
    }
    host.preload(preload);
    Map<GroupRef, Integer> networks = new LinkedHashMap<>();
    saved.networks().forEach((g, vlan) -> {
      try {
        plan.block(vlan);
        networks.put(g, vlan);
      } catch (NetworkRefusal e) {
        LOG.error("the saved network of {} (index {}) does not fit the address plan any more (VNET_SUBNET, "
            + "VNET_NETMASK or VNET_ADDRSPERNET changed?): dropped", g.netName(), vlan);
      }
    });
    Map<String, Assignment> assignments = new LinkedHashMap<>();
    for (Assignment a : saved.assignments().values()) {
      if (a.group() != null && Objects.equals(networks.get(a.group()), a.vlan())) {
        assignments.put(a.instanceId(), a);
      } else {
        LOG.error("instance {} ({}) was in a network that is gone: its address is not served any more",
            a.instanceId(), a.ip());
      }
    }
    Map<String, String> publicIps = new LinkedHashMap<>();
    saved.publicIps().forEach((pub, priv) -> {
      if (config.publicIps().contains(pub)) {
        publicIps.put(pub, priv);
      } else {
        LOG.error("public address {} (to {}) is no longer in VNET_PUBLICIPS: no longer mapped", pub, priv);
      }
    });
    String cloud = config.cloudIp() != null ? config.cloudIp() : saved.cloudIp();
    NetworkState restored = new NetworkState(cloud, networks, saved.rules(), assignments, publicIps);
    commit(restored, true);
    LOG.info("{}: {} network(s), {} instance address(es), {} public address(es) in use of {}; metadata to {}",
        name(), networks.size(), assignments.size(), publicIps.size(), config.publicIps().size(),
        applied == null ? null : applied.metadataTarget());
  }

  @Override
  public synchronized Instance admit(Instance instance) throws NetworkRefusal {
    List<String> groups = instance.groupNames();
    if (groups.size() > 1) {
      throw new NetworkRefusal("InvalidParameterCombination", "in VNET_MODE " + name() + " an instance is in exactly "
          + "one security group (its network); " + instance.instanceId() + " asked for " + groups.size() + ": "
          + String.join(", ", groups));
    }
    Assignment a = state.assignments().get(instance.instanceId());
    if (a == null) {
      GroupRef group = new GroupRef(instance.ownerId(), groups.isEmpty() ? "default" : groups.get(0));
      int vlan = instance.vlan();
      Ipv4Block block = plan.block(vlan);
      Map<GroupRef, Integer> networks = networksWith(group, vlan, "RunInstances");
      if (!state.networks().containsKey(group)) {
        LOG.warn("RunInstances for {} before StartNetwork: its network (index {}) is started now", group.netName(), vlan);
      }
      List<String> taken = state.assignments().values().stream().filter(x -> x.vlan() == vlan).map(Assignment::ip)
          .toList();
      String ip = AddressPlan.freeGuestAddress(block, taken);
      if (ip == null) {
        throw new NetworkRefusal("InsufficientAddressCapacity", "the network of security group " + group.group()
            + " has no address left (" + block + ": " + (block.size() - 3) + " instances at most; VNET_ADDRSPERNET)");
      }
      String mac = instance.privateMac() == null ? null : instance.privateMac().toLowerCase(Locale.ROOT);
      if (mac == null) {
        throw new NetworkRefusal("InvalidParameterValue", "instance " + instance.instanceId() + " has no MAC address");
      }
      a = new Assignment(instance.instanceId(), mac, ip, vlan, group);
      Map<String, Assignment> assignments = new LinkedHashMap<>(state.assignments());
      assignments.put(a.instanceId(), a);
      commit(new NetworkState(state.cloudIp(), networks, state.rules(), assignments, state.publicIps()), false);
      LOG.info("instance {} ({}) gets {} in the network of {} (index {})", a.instanceId(), mac, ip, group.netName(), vlan);
    }
    return instance.withNetwork(a.mac(), a.ip(), publicOf(a.ip()));
  }

  @Override
  public synchronized void released(Instance instance) {
    Assignment a = state.assignments().get(instance.instanceId());
    if (a == null) {
      return;
    }
    try {
      commit(without(state, List.of(a.instanceId())), false);
      LOG.info("instance {} is gone: {} is free again", a.instanceId(), a.ip());
    } catch (NetworkRefusal e) {
      LOG.error("instance {} is gone but its address {} could not be freed: {}", a.instanceId(), a.ip(), e.getMessage());
    }
  }

  /** Instances learnt from the nodes after a restart get their addresses back; an ended one frees them. */
  @Override
  public void learn(InstanceTable table) {
    for (Instance i : table.all()) {
      Assignment a;
      String pub;
      synchronized (this) {
        a = state.assignments().get(i.instanceId());
        pub = a == null ? null : publicOf(a.ip());
      }
      if (a == null) {
        continue;
      }
      if ("Teardown".equals(i.stateName())) {
        released(i);
      } else if (!Objects.equals(a.ip(), i.privateIp()) || !Objects.equals(pub, i.publicIp())) {
        table.update(i.instanceId(), x -> x.withAddresses(a.ip(), pub));
      }
    }
  }

  @Override
  public synchronized void startNetwork(String user, String group, int vlan, String cloudAddress) throws NetworkRefusal {
    GroupRef g = new GroupRef(user, group);
    plan.block(vlan);
    String cloud = config.cloudIp() != null ? config.cloudIp()
        : cloudAddress != null && !cloudAddress.isBlank() ? cloudAddress : state.cloudIp();
    Map<GroupRef, Integer> networks = networksWith(g, vlan, "StartNetwork");
    NetworkState next = new NetworkState(cloud, networks, state.rules(), state.assignments(), state.publicIps());
    if (!next.equals(state)) {
      commit(next, false);
      LOG.info("network of {} active with index {} ({})", g.netName(), vlan, safeBlock(vlan));
    }
  }

  @Override
  public synchronized void stopNetwork(String user, String group, int vlan) throws NetworkRefusal {
    GroupRef g = new GroupRef(user, group);
    Integer active = state.networks().get(g);
    if (active == null) {
      LOG.info("StopNetwork for {}: not active here", g.netName());
      return;
    }
    if (vlan != 0 && vlan != active) {
      LOG.warn("StopNetwork for {} with index {}, but it is active with {}: left alone", g.netName(), vlan, active);
      return;
    }
    List<String> left = state.assignments().values().stream().filter(a -> g.equals(a.group()))
        .map(Assignment::instanceId).toList();
    if (!left.isEmpty()) {
      LOG.warn("StopNetwork for {}: its instance(s) {} lose their addresses", g.netName(), left);
    }
    NetworkState next = without(state, left);
    Map<GroupRef, Integer> networks = new LinkedHashMap<>(next.networks());
    networks.remove(g);
    commit(new NetworkState(next.cloudIp(), networks, next.rules(), next.assignments(), next.publicIps()), false);
    LOG.info("network of {} (index {}) stopped", g.netName(), active);
  }

  @Override
  public synchronized void configureNetwork(String user, String group, List<IngressRule> rules) throws NetworkRefusal {
    GroupRef g = new GroupRef(user, group);
    Map<GroupRef, List<IngressRule>> all = new LinkedHashMap<>(state.rules());
    all.put(g, List.copyOf(rules));
    commit(new NetworkState(state.cloudIp(), state.networks(), all, state.assignments(), state.publicIps()), false);
    LOG.info("rules of {}: {} rule(s)", g.netName(), rules.size());
  }

  @Override
  public synchronized void assignAddress(String publicIp, String privateIp) throws NetworkRefusal {
    checkPublic(publicIp);
    if (state.assignments().values().stream().noneMatch(a -> a.ip().equals(privateIp))) {
      throw new NetworkRefusal("InvalidParameterValue", "no instance on this cluster has the private address " + privateIp);
    }
    Map<String, String> pubs = new LinkedHashMap<>(state.publicIps());
    String before = pubs.get(publicIp);
    // one public address per instance and one instance per public address: re-assigning moves it
    pubs.values().removeIf(privateIp::equals);
    pubs.remove(publicIp);
    pubs.put(publicIp, privateIp);
    commit(new NetworkState(state.cloudIp(), state.networks(), state.rules(), state.assignments(), pubs), false);
    LOG.info("public address {} -> {}{}", publicIp, privateIp, before == null || before.equals(privateIp) ? ""
        : " (moved from " + before + ")");
  }

  @Override
  public synchronized void unassignAddress(String publicIp, String privateIp) throws NetworkRefusal {
    checkPublic(publicIp);
    String now = state.publicIps().get(publicIp);
    if (now == null) {
      LOG.info("UnassignAddress {}: not assigned", publicIp);
      return;
    }
    if (privateIp != null && !privateIp.isBlank() && !privateIp.equals(now)) {
      LOG.info("UnassignAddress {} from {}: it leads to {} now: left alone", publicIp, privateIp, now);
      return;
    }
    Map<String, String> pubs = new LinkedHashMap<>(state.publicIps());
    pubs.remove(publicIp);
    commit(new NetworkState(state.cloudIp(), state.networks(), state.rules(), state.assignments(), pubs), false);
    LOG.info("public address {} no longer leads to {}", publicIp, now);
  }

  @Override
  public synchronized List<PublicAssignment> publicAddresses() {
    return config.publicIps().stream().map(p -> new PublicAssignment(p, state.publicIps().get(p))).toList();
  }

  /** The plan this state asks of the host: the active networks, their rules, the public address pool, metadata. */
  HostNetworkPlan hostPlan(NetworkState s) {
    List<ActiveNetwork> networks = new ArrayList<>();
    s.networks().forEach((g, vlan) -> networks.add(new ActiveNetwork(g, vlan, safeBlock(vlan))));
    Map<GroupRef, List<IngressRule>> rules = new LinkedHashMap<>();
    s.rules().forEach((g, r) -> {
      if (s.networks().containsKey(g)) {
        rules.put(g, r);
      }
    });
    // the whole pool, free addresses with no private one: a restarted CC's host network knows by
    // it which /32s on the public interface are the cloud's to take away
    List<PublicAssignment> pubs = config.publicIps().stream()
        .map(p -> new PublicAssignment(p, s.publicIps().get(p))).toList();
    Map<Integer, String> routerInterfaces = new LinkedHashMap<>();
    for (ActiveNetwork n : networks) {
      if (!links.interfaceOf(n.vlan()).equals(config.privateInterface())) {
        routerInterfaces.put(n.vlan(), links.interfaceOf(n.vlan()));
      }
    }
    return new HostNetworkPlan(config.subnet(), config.privateInterface(), config.publicInterface(), networks, rules,
        pubs, metadataTarget(s.cloudIp(), networks), routerInterfaces);
  }

  /**
   * Where 169.254.169.254:80 goes: the CLC's :8773. A CLC reached over loopback (it runs on this
   * host) cannot be a DNAT target for the guests' packets (the kernel drops routed packets to
   * 127/8), so then a router address of this host is used instead: the CLC listens on every
   * address and still sees the guest's own source address.
   */
  static String metadataTarget(String cloudIp, List<ActiveNetwork> networks) {
    if (cloudIp == null) {
      return null;
    }
    if (cloudIp.startsWith("127.")) {
      return networks.isEmpty() ? null : networks.get(0).router() + ":" + METADATA_PORT;
    }
    return cloudIp + ":" + METADATA_PORT;
  }

  private Ipv4Block safeBlock(int vlan) {
    try {
      return plan.block(vlan);
    } catch (NetworkRefusal e) {
      throw new IllegalStateException(e.getMessage(), e); // only valid indexes get into the state
    }
  }

  /** The active networks with {@code g} on {@code vlan}, refusing when that disagrees with what runs. */
  private Map<GroupRef, Integer> networksWith(GroupRef g, int vlan, String op) throws NetworkRefusal {
    Map<GroupRef, Integer> networks = new LinkedHashMap<>(state.networks());
    Integer had = networks.get(g);
    if (had != null && had != vlan) {
      if (hasInstances(g)) {
        throw new NetworkRefusal(null, op + ": the network of " + g.netName() + " is active here with index " + had
            + ", not " + vlan + ", and still has instances");
      }
      LOG.warn("{}: the network of {} moves from index {} to {}", op, g.netName(), had, vlan);
    }
    for (Map.Entry<GroupRef, Integer> e : state.networks().entrySet()) {
      if (e.getValue() == vlan && !e.getKey().equals(g)) {
        if (hasInstances(e.getKey())) {
          throw new NetworkRefusal(null, op + ": network index " + vlan + " is in use here by " + e.getKey().netName()
              + ", which still has instances");
        }
        LOG.warn("{}: network index {} passes from {} (no instances; its StopNetwork never came) to {}", op, vlan,
            e.getKey().netName(), g.netName());
        networks.remove(e.getKey());
      }
    }
    networks.put(g, vlan);
    return networks;
  }

  private boolean hasInstances(GroupRef g) {
    return state.assignments().values().stream().anyMatch(a -> g.equals(a.group()));
  }

  /** {@code s} without the instances {@code ids}, and without the public addresses that led to them. */
  private static NetworkState without(NetworkState s, List<String> ids) {
    Map<String, Assignment> assignments = new LinkedHashMap<>(s.assignments());
    Map<String, String> pubs = new LinkedHashMap<>(s.publicIps());
    for (String id : ids) {
      Assignment a = assignments.remove(id);
      if (a != null && pubs.values().removeIf(a.ip()::equals)) {
        LOG.info("the public address of {} ({}) no longer leads to it", id, a.ip());
      }
    }
    return new NetworkState(s.cloudIp(), s.networks(), s.rules(), assignments, pubs);
  }

  private String publicOf(String privateIp) {
    return state.publicIps().entrySet().stream().filter(e -> e.getValue().equals(privateIp)).map(Map.Entry::getKey)
        .findFirst().orElse(privateIp);
  }

  private void checkPublic(String publicIp) throws NetworkRefusal {
    if (publicIp == null || !config.publicIps().contains(publicIp)) {
      throw new NetworkRefusal("InvalidAddress.NotFound", "address " + publicIp + " is not one of this cluster's "
          + "public addresses (VNET_PUBLICIPS)");
    }
  }

  /**
   * Makes {@code next} the state: saved first (so that a CC killed during the change restarts
   * with it), then the links of new networks made (all of them at start), the host made to match,
   * the links of stopped networks taken away, then dhcpd. If the host cannot be made to match, the
   * previous state is saved and applied again and the change is refused.
   */
  private void commit(NetworkState next, boolean force) throws NetworkRefusal {
    NetworkState before = state;
    save(next);
    Set<Integer> added = new TreeSet<>(next.networks().values());
    if (!force) {
      added.removeAll(before.networks().values());
    }
    try {
      for (int vlan : added) {
        links.ensure(vlan);
      }
      HostNetworkPlan p = hostPlan(next);
      if (force || !p.equals(applied)) {
        host.apply(p);
        applied = p;
      }
    } catch (NetworkRefusal | RuntimeException e) {
      LOG.error("the front end's network could not be set up: {}", e.getMessage());
      if (!force) {
        undo(before, added);
      }
      throw e instanceof NetworkRefusal r ? r : new NetworkRefusal("the front end's network could not be set up: "
          + e.getMessage(), e);
    }
    Set<Integer> gone = new TreeSet<>(before.networks().values());
    gone.removeAll(next.networks().values());
    for (int vlan : gone) {
      try {
        links.remove(vlan);
      } catch (NetworkRefusal e) {
        // the network is stopped all the same; what is left of it carries nothing the CC serves
        LOG.error("network {} is stopped, but its link is left on the front end: {}", vlan, e.getMessage());
      }
    }
    state = next;
    serveDhcp(next);
  }

  /** Back to {@code before}: its state saved and applied, the links made for the refused change taken away. */
  private void undo(NetworkState before, Set<Integer> added) {
    for (int vlan : added) {
      if (!before.networks().containsValue(vlan)) {
        try {
          links.remove(vlan);
        } catch (NetworkRefusal e) {
          LOG.error("and network {}'s link could not be taken away: {}", vlan, e.getMessage());
        }
      }
    }
    try {
      save(before);
      HostNetworkPlan p = hostPlan(before);
      host.apply(p);
      applied = p;
    } catch (NetworkRefusal | RuntimeException e) {
      LOG.error("and the previous set-up could not be restored either: {}", e.getMessage());
    }
  }

  private void save(NetworkState s) throws NetworkRefusal {
    try {
      store.save(s);
    } catch (IOException e) {
      throw new NetworkRefusal("cannot save the network state in " + store.file() + ": " + e.getMessage(), e);
    }
  }

  private void serveDhcp(NetworkState s) {
    List<DhcpdConfig.Subnet> subnets = new ArrayList<>();
    Set<String> interfaces = new LinkedHashSet<>();
    int mtu = s.networks().isEmpty() ? 0 : links.guestMtu();
    s.networks().values().stream().sorted().forEach(vlan -> {
      Ipv4Block b = safeBlock(vlan);
      subnets.add(new DhcpdConfig.Subnet(b, b.address(1), Ipv4Block.format(b.broadcast()), config.dns(), mtu));
      interfaces.add(links.interfaceOf(vlan));
    });
    List<DhcpdConfig.Host> hosts = s.assignments().values().stream().map(a -> new DhcpdConfig.Host(a.mac(), a.ip()))
        .toList();
    try {
      dhcpd.serve(DhcpdConfig.render(subnets, hosts, links.oneSegment()), List.copyOf(interfaces));
    } catch (IOException e) {
      // the instances still run; without dhcpd they get no address, which the log must say loudly
      LOG.error("the guests' DHCP server is not serving: {}", e.getMessage());
    }
  }

  /** For tests. */
  synchronized NetworkState state() {
    return state;
  }
}
