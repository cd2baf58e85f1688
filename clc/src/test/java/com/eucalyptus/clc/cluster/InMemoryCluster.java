package com.eucalyptus.clc.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CC as the CLC sees it, for the CLC's unit tests: the tier boundary (ClusterClient), standing
 * in for a real CC, which the integration tests run. It places instances while there is room,
 * reports and terminates them, and answers the networking calls as docs/network.md says a CC in
 * {@link #mode} does: SYSTEM (no pool, networks accepted and ignored, the private address learnt
 * later) or MANAGED-NOVLAN (one group per instance, private addresses from the group's block,
 * a public pool, assignments shown as the instance's publicIp). Every call is logged in order.
 */
public final class InMemoryCluster implements ClusterClient {
  public final Map<String, String> states = new LinkedHashMap<>();
  public final List<Launch> launches = new ArrayList<>();
  public final List<String> rebooted = new ArrayList<>();
  public final AtomicInteger describes = new AtomicInteger();
  /** every call, in order: "StartNetwork alice default 2", "RunInstances …", "AssignAddress 1.2.3.4 10.0.2.2" */
  public final List<String> log = new ArrayList<>();
  /** the rule sets of ConfigureNetwork, in order */
  public final List<List<NetRule>> configured = new ArrayList<>();
  /** VNET_PUBLICIPS (MANAGED-NOVLAN): address → the private address it is assigned to, "" when free */
  public final Map<String, String> publicIps = new LinkedHashMap<>();
  /** instance → private address (MANAGED-NOVLAN: from its network's block) */
  public final Map<String, String> privateIps = new LinkedHashMap<>();
  public String mode = "SYSTEM";
  /** StartNetwork's refusal when set (the CC's own trouble: no code) */
  public String startNetworkRefusal;
  /** the highest network index the address plan has room for */
  public int maxVlan = 4095;
  public int room;
  public boolean silentNode;
  /** the CC does not answer at all */
  public boolean down;
  public Instant nodeLastSeen = Instant.now();
  /** a report made before the last AssignAddress/UnassignAddress: this public address, whatever is assigned */
  public String staleReportedPublic;
  /** instance → the volumes its node has hot-plugged (AttachVolume adds, DetachVolume removes) */
  public final Map<String, List<ReportedVolume>> volumes = new LinkedHashMap<>();
  /** AttachVolume's refusal when set ("Code: message" or the CC's own words) */
  public String attachRefusal;
  /** DetachVolume's refusal when set */
  public String detachRefusal;

  public static InMemoryCluster managedNoVlan(String... publicIps) {
    InMemoryCluster cc = new InMemoryCluster();
    cc.mode = "MANAGED-NOVLAN";
    for (String ip : publicIps) {
      cc.publicIps.put(ip, "");
    }
    return cc;
  }

  private boolean managed() {
    return mode.startsWith("MANAGED");
  }

  private void check() {
    if (down) {
      throw new IllegalStateException("Connection refused");
    }
  }

  @Override
  public Resources describeResources(String host, int port, List<VmType> types) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Keys getKeys(String host, int port, String serviceTag) {
    throw new UnsupportedOperationException();
  }

  @Override
  public synchronized Launched runInstances(String host, int port, Launch l) {
    check();
    launches.add(l);
    log.add("RunInstances " + l.owner() + " " + l.groupNames() + " vlan " + l.vlan() + " " + l.macAddresses());
    if (managed() && l.groupNames().size() > 1) {
      return new Launched(false, "InvalidParameterCombination: in VNET_MODE MANAGED-NOVLAN an instance belongs to "
          + "exactly one security group", List.of());
    }
    int n = Math.min(room, l.instanceIds().size());
    if (n < l.minCount()) {
      return new Launched(false, "InsufficientInstanceCapacity: only " + n + " fit", List.of());
    }
    room -= n;
    List<ReportedInstance> out = new ArrayList<>();
    int k = 2;
    for (String id : l.instanceIds().subList(0, n)) {
      states.put(id, "Pending");
      if (managed()) {
        while (privateIps.containsValue("10.0." + l.vlan() + "." + k)) {
          k++;
        }
        privateIps.put(id, "10.0." + l.vlan() + "." + k);
      }
      // SYSTEM: the CC learns the address later (ARP), 0.0.0.0 in RunInstances' answer
      ReportedInstance r = report(id);
      out.add(managed() ? r : new ReportedInstance(id, r.reservationId(), r.ownerId(), r.stateName(), "0.0.0.0",
          "0.0.0.0", r.serviceTag(), r.launchTime(), r.lastSeen()));
    }
    return new Launched(true, null, out);
  }

  public synchronized ReportedInstance report(String id) {
    if (!silentNode) {
      nodeLastSeen = nodeLastSeen.plusMillis(1); // the CC heard from the node again
    }
    String priv = privateIps.getOrDefault(id, managed() ? "0.0.0.0" : "10.0.0.5");
    String pub = publicIps.entrySet().stream().filter(e -> e.getValue().equals(priv) && !priv.equals("0.0.0.0"))
        .map(Map.Entry::getKey).findFirst().orElse(priv);
    if (staleReportedPublic != null) {
      pub = staleReportedPublic;
    }
    return new ReportedInstance(id, "r", "o", states.get(id), priv, pub,
        "http://node1:8775/axis2/services/EucalyptusNC", Instant.now(), nodeLastSeen,
        List.copyOf(volumes.getOrDefault(id, List.of())));
  }

  @Override
  public synchronized List<ReportedInstance> describeInstances(String host, int port, List<String> ids) {
    check();
    describes.incrementAndGet();
    return states.keySet().stream().map(this::report).toList();
  }

  @Override
  public synchronized List<Boolean> terminateInstances(String host, int port, List<String> ids) {
    check();
    ids.forEach(id -> states.computeIfPresent(id, (k, v) -> "Teardown"));
    return ids.stream().map(states::containsKey).toList();
  }

  @Override
  public synchronized boolean rebootInstances(String host, int port, List<String> ids) {
    rebooted.addAll(ids);
    return true;
  }

  @Override
  public ConsoleOutput getConsoleOutput(String host, int port, String id) {
    return new ConsoleOutput(Base64.getEncoder().encodeToString(("Linux version 6.1 " + id + "\n").getBytes()),
        Instant.parse("2026-11-24T10:00:00Z"));
  }

  @Override
  public synchronized Answer startNetwork(String host, int port, String owner, String netName, int vlan) {
    check();
    log.add("StartNetwork " + owner + " " + netName + " " + vlan);
    if (startNetworkRefusal != null) {
      return new Answer(false, startNetworkRefusal);
    }
    if (managed() && vlan > maxVlan) {
      return new Answer(false, "InsufficientAddressCapacity: network index " + vlan + " is outside the address plan");
    }
    return new Answer(true, null);
  }

  @Override
  public synchronized Answer stopNetwork(String host, int port, String owner, String netName, int vlan) {
    check();
    log.add("StopNetwork " + owner + " " + netName + " " + vlan);
    return new Answer(true, null);
  }

  @Override
  public synchronized Answer configureNetwork(String host, int port, String owner, List<NetRule> rules) {
    check();
    log.add("ConfigureNetwork " + owner + " " + rules.get(0).destName() + " " + rules.size());
    configured.add(rules);
    return new Answer(true, null);
  }

  @Override
  public synchronized Answer assignAddress(String host, int port, String publicIp, String privateIp) {
    check();
    log.add("AssignAddress " + publicIp + " " + privateIp);
    if (!managed()) {
      return new Answer(false, "UnsupportedOperation: elastic IPs need VNET_MODE MANAGED-NOVLAN");
    }
    if (!publicIps.containsKey(publicIp)) {
      return new Answer(false, "InvalidAddress.NotFound: " + publicIp + " is not in VNET_PUBLICIPS");
    }
    publicIps.put(publicIp, privateIp);
    return new Answer(true, null);
  }

  @Override
  public synchronized Answer unassignAddress(String host, int port, String publicIp, String privateIp) {
    check();
    log.add("UnassignAddress " + publicIp + " " + privateIp);
    if (!managed()) {
      return new Answer(false, "UnsupportedOperation: elastic IPs need VNET_MODE MANAGED-NOVLAN");
    }
    publicIps.computeIfPresent(publicIp, (k, v) -> "");
    return new Answer(true, null);
  }

  @Override
  public synchronized PublicAddresses describePublicAddresses(String host, int port) {
    check();
    if (!managed()) {
      return new PublicAddresses(false, "UnsupportedOperation: VNET_MODE SYSTEM has no public addresses", Map.of());
    }
    return new PublicAddresses(true, null, new LinkedHashMap<>(publicIps));
  }

  @Override
  public synchronized Answer attachVolume(String host, int port, String owner, String volumeId, String instanceId,
      String remoteDev, String localDev) {
    check();
    log.add("AttachVolume " + volumeId + " " + instanceId + " " + remoteDev + " " + localDev);
    if (attachRefusal != null) {
      return new Answer(false, attachRefusal);
    }
    if (!states.containsKey(instanceId)) {
      return new Answer(false, "InvalidInstanceID.NotFound: no instance " + instanceId + " on this cluster");
    }
    volumes.computeIfAbsent(instanceId, k -> new ArrayList<>()).add(new ReportedVolume(volumeId, remoteDev, localDev,
        "attached"));
    return new Answer(true, null);
  }

  @Override
  public synchronized Answer detachVolume(String host, int port, String owner, String volumeId, String instanceId,
      String remoteDev, String localDev, boolean force) {
    check();
    log.add("DetachVolume " + volumeId + " " + instanceId + (force ? " force" : ""));
    if (detachRefusal != null) {
      return new Answer(false, detachRefusal);
    }
    volumes.getOrDefault(instanceId, new ArrayList<>()).removeIf(v -> v.volumeId().equals(volumeId));
    return new Answer(true, null);
  }

  /** The log's lines that start with {@code prefix}. */
  public synchronized List<String> logged(String prefix) {
    return log.stream().filter(l -> l.startsWith(prefix)).toList();
  }
}
