package com.eucalyptus.clc.api.actions;

import com.eucalyptus.clc.accounts.Accounts;
import com.eucalyptus.clc.api.Ec2Action;
import com.eucalyptus.clc.api.Ec2Exception;
import com.eucalyptus.clc.api.QueryRequest;
import com.eucalyptus.clc.api.Xml;
import com.eucalyptus.clc.cluster.ClusterClient;
import com.eucalyptus.clc.cluster.Clusters;
import com.eucalyptus.clc.compute.groups.SecurityGroups;
import com.eucalyptus.clc.compute.instances.InstanceIds;
import com.eucalyptus.clc.compute.instances.InstanceState;
import com.eucalyptus.clc.compute.instances.Instances;
import com.eucalyptus.clc.compute.instances.LaunchRefused;
import com.eucalyptus.clc.compute.instances.Launcher;
import com.eucalyptus.clc.compute.keys.KeyPairs;
import com.eucalyptus.clc.images.Images;
import com.eucalyptus.clc.persistence.ClusterEntity;
import com.eucalyptus.clc.persistence.ImageEntity;
import com.eucalyptus.clc.persistence.InstanceEntity;
import com.eucalyptus.clc.persistence.VmTypeEntity;
import com.eucalyptus.clc.properties.SystemProperties;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * RunInstances, DescribeInstances, TerminateInstances, RebootInstances, GetConsoleOutput. Users
 * see and act on their own instances only (another's id is InvalidInstanceID.NotFound, as if it
 * did not exist); the administrator sees and acts on all. Answers follow the request's API
 * version: groupSet items carry the group's name as groupId up to 2009-04-04 and groupId +
 * groupName after; privateIpAddress, ipAddress and monitoring from 2009-07-15; TerminateInstances'
 * new state is shutdownState up to 2009-08-15 and currentState after.
 */
public final class InstanceActions {
  private static final Logger LOG = LogManager.getLogger(InstanceActions.class);
  /** EC2's limit on user data, before base64. */
  static final int MAX_USER_DATA = 16 * 1024;
  static final String DEFAULT_TYPE = "m1.small";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);

  private final Instances instances;
  private final Launcher launcher;
  private final Images images;
  private final KeyPairs keys;
  private final SecurityGroups groups;
  private final Clusters clusters;
  private final ClusterClient client;
  private final SystemProperties properties;
  private final Runnable wakePoller;
  private final int cloudPort;

  /** @param cloudPort CLOUD_PORT, for Walrus URLs made from a Host header that names no port */
  public InstanceActions(Instances instances, Launcher launcher, Images images, KeyPairs keys, SecurityGroups groups,
      Clusters clusters, ClusterClient client, SystemProperties properties, Runnable wakePoller, int cloudPort) {
    this.cloudPort = cloudPort;
    this.instances = instances;
    this.launcher = launcher;
    this.images = images;
    this.keys = keys;
    this.groups = groups;
    this.clusters = clusters;
    this.client = client;
    this.properties = properties;
    this.wakePoller = wakePoller;
  }

  public List<Ec2Action> all() {
    return List.of(
        new SimpleAction("RunInstances", false, this::run),
        new SimpleAction("DescribeInstances", false, this::describe),
        new SimpleAction("TerminateInstances", false, this::terminate),
        new SimpleAction("RebootInstances", false, this::reboot),
        new SimpleAction("GetConsoleOutput", false, this::console));
  }

  // ------------------------------------------------------------------ RunInstances

  private void run(QueryRequest r, Accounts.User caller, Xml out) {
    String owner = caller.name();
    ImageEntity image = machineImage(r.required("ImageId"), owner);
    int min = count(r, "MinCount");
    int max = count(r, "MaxCount");
    if (min > max) {
      throw Ec2Exception.invalidParameter("MinCount (" + min + ") must not be larger than MaxCount (" + max + ")");
    }
    String typeName = Optional.ofNullable(r.param("InstanceType")).filter(s -> !s.isBlank()).orElse(DEFAULT_TYPE);
    VmTypeEntity type = clusters.vmTypes().stream().filter(v -> v.name.equals(typeName)).findFirst()
        .orElseThrow(() -> Ec2Exception.invalidParameter("The instance type '" + typeName + "' does not exist"));
    String keyName = blankToNull(r.param("KeyName"));
    String keyText = null;
    if (keyName != null) {
      keyText = keys.find(owner, keyName).map(KeyPairs.Key::publicKey).orElseThrow(() -> new Ec2Exception(400,
          "InvalidKeyPair.NotFound", "The key pair '" + keyName + "' does not exist"));
    }
    List<String> groupNames = groupNames(r, owner);
    String userData = userData(r.param("UserData"));
    ImageEntity kernel = bootImage("kernel", r.param("KernelId"), image.kernelId,
        properties.get(SystemProperties.DEFAULT_KERNEL), owner);
    if (kernel == null) {
      throw Ec2Exception.invalidParameter("The image " + image.imageId + " names no kernel, none was given (KernelId) "
          + "and the cloud has no default kernel");
    }
    ImageEntity ramdisk = bootImage("ramdisk", r.param("RamdiskId"), image.ramdiskId,
        properties.get(SystemProperties.DEFAULT_RAMDISK), owner);
    String zone = blankToNull(r.param("Placement.AvailabilityZone"));
    boolean privateAddressing = privateAddressing(r.param("AddressingType"));
    String walrus = walrusBase(r);
    List<InstanceEntity> started;
    try {
      started = launcher.launch(new Launcher.Request(owner, min, max, zone,
          new ClusterClient.VmType(type.name, type.cpu, type.memory, type.disk), image.imageId, image.manifestLocation,
          walrus + image.manifestLocation, kernel.imageId, walrus + kernel.manifestLocation,
          ramdisk == null ? null : ramdisk.imageId, ramdisk == null ? null : walrus + ramdisk.manifestLocation,
          image.productCodes, keyName, keyText, userData, groupNames, privateAddressing));
    } catch (LaunchRefused e) {
      // 400, not a 5xx: boto and the AWS CLIs retry 5xx answers several times before the user sees them
      throw new Ec2Exception(400, e.code(), e.getMessage());
    }
    String version = version(r);
    Map<String, String> groupIds = groupIds(owner);
    InstanceEntity first = started.get(0);
    out.leaf("reservationId", first.reservationId).leaf("ownerId", owner);
    groupSet(out, first, groupIds, version);
    out.open("instancesSet");
    for (InstanceEntity e : started) {
      instanceItem(out, e, version);
    }
    out.close("instancesSet");
  }

  /**
   * AddressingType (the 2008-12-01 API; euca-run-instances --addressing): "public" (the default:
   * a public address when one is free) or "private" (none).
   */
  static boolean privateAddressing(String addressingType) {
    if (addressingType == null || addressingType.isBlank() || addressingType.trim().equalsIgnoreCase("public")) {
      return false;
    }
    if (addressingType.trim().equalsIgnoreCase("private")) {
      return true;
    }
    throw Ec2Exception.invalidParameter("AddressingType must be 'public' or 'private', not '" + addressingType + "'");
  }

  private ImageEntity machineImage(String id, String owner) {
    ImageEntity image = images.find(id).filter(i -> "machine".equals(i.kind)).orElse(null);
    if (image == null || !"available".equals(image.state) || !Images.mayLaunch(image, owner)) {
      throw new Ec2Exception(400, "InvalidAMIID.NotFound", "The image id '[" + id + "]' does not exist");
    }
    if (!image.enabled) {
      throw new Ec2Exception(400, "InvalidAMIID.Unavailable", "The image " + id
          + " has been disabled by the administrator and cannot be run");
    }
    return image;
  }

  /**
   * The kernel or ramdisk to boot (Images.bootImage: at run time, else the image's, else the
   * cloud's default). One asked for at run time must be runnable by the caller; the image's own or
   * the default need only exist and be enabled, as its owner or the administrator chose them.
   */
  private ImageEntity bootImage(String kind, String atRunTime, String ofImage, String cloudDefault, String owner) {
    String id = Images.bootImage(atRunTime, ofImage, cloudDefault);
    if (id == null) {
      return null;
    }
    boolean chosenByCaller = atRunTime != null && !atRunTime.isBlank();
    ImageEntity e = images.find(id).filter(i -> kind.equals(i.kind) && "available".equals(i.state)).orElse(null);
    if (e == null || (chosenByCaller && !Images.mayLaunch(e, owner))) {
      throw new Ec2Exception(400, "InvalidAMIID.NotFound", "The " + kind + " id '[" + id + "]' does not exist");
    }
    if (!e.enabled) {
      throw new Ec2Exception(400, "InvalidAMIID.Unavailable", "The " + kind + " " + id
          + " has been disabled by the administrator and cannot be run");
    }
    return e;
  }

  private static int count(QueryRequest r, String name) {
    String v = r.param(name);
    if (v == null || v.isBlank()) {
      return 1;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= 1 && n <= 1000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw Ec2Exception.invalidParameter("The value '" + v + "' of " + name + " must be a whole number from 1 to 1000");
  }

  private List<String> groupNames(QueryRequest r, String owner) {
    List<String> names = new ArrayList<>(CloudActions.indexed(r.params(), "SecurityGroup"));
    try {
      for (String id : CloudActions.indexed(r.params(), "SecurityGroupId")) {
        names.add(groups.nameOfId(owner, id));
      }
      if (names.isEmpty()) {
        names.add(SecurityGroups.DEFAULT);
      }
      return groups.list(owner, names.stream().distinct().toList()).stream().map(SecurityGroups.Group::name)
          .filter(names::contains).toList();
    } catch (SecurityGroups.GroupException e) {
      throw new Ec2Exception(400, e.code(), e.getMessage());
    }
  }

  /** The user data as base64 (normalised), "" when none; more than 16 KB is refused. */
  static String userData(String b64) {
    if (b64 == null || b64.isEmpty()) {
      return "";
    }
    byte[] raw;
    try {
      raw = Base64.getMimeDecoder().decode(b64.replace('-', '+').replace('_', '/'));
    } catch (IllegalArgumentException e) {
      throw Ec2Exception.invalidParameter("UserData must be base64-encoded");
    }
    if (raw.length > MAX_USER_DATA) {
      throw Ec2Exception.invalidParameter("UserData is " + raw.length + " bytes: at most " + MAX_USER_DATA
          + " bytes (16 KB) are allowed");
    }
    return Base64.getEncoder().encodeToString(raw);
  }

  /**
   * http://host:port/services/Walrus/ as the nodes reach it: cloud.url, else the host the client
   * used with this CLC's port (clients such as boto leave the port out of Host).
   */
  private String walrusBase(QueryRequest r) {
    String url = properties.get(SystemProperties.CLOUD_URL).replaceAll("/+$", "");
    if (url.isBlank()) {
      String host = r.host() == null || r.host().isBlank() ? "127.0.0.1" : r.host().trim();
      boolean hasPort = host.startsWith("[") ? host.contains("]:") : host.contains(":");
      url = "http://" + (hasPort ? host : host + ":" + cloudPort);
    }
    return url + "/services/Walrus/";
  }

  // ------------------------------------------------------------------ DescribeInstances

  private void describe(QueryRequest r, Accounts.User caller, Xml out) {
    List<String> ids = CloudActions.indexed(r.params(), "InstanceId");
    Map<String, InstanceEntity> visible = new LinkedHashMap<>();
    instances.visibleTo(caller.name(), caller.admin()).forEach(e -> visible.put(e.instanceId, e));
    for (String id : ids) {
      if (!visible.containsKey(id)) {
        throw notFound(id);
      }
    }
    Map<String, List<InstanceEntity>> reservations = new LinkedHashMap<>();
    for (InstanceEntity e : visible.values()) {
      if (ids.isEmpty() || ids.contains(e.instanceId)) {
        reservations.computeIfAbsent(e.reservationId, k -> new ArrayList<>()).add(e);
      }
    }
    String version = version(r);
    Map<String, Map<String, String>> groupIdsByOwner = new HashMap<>();
    out.open("reservationSet");
    for (List<InstanceEntity> members : reservations.values()) {
      InstanceEntity first = members.get(0);
      out.open("item").leaf("reservationId", first.reservationId).leaf("ownerId", first.owner);
      groupSet(out, first, groupIdsByOwner.computeIfAbsent(first.owner, this::groupIds), version);
      out.open("instancesSet");
      members.forEach(e -> instanceItem(out, e, version));
      out.close("instancesSet").close("item");
    }
    out.close("reservationSet");
  }

  private Map<String, String> groupIds(String owner) {
    Map<String, String> m = new HashMap<>();
    groups.list(owner, List.of()).forEach(g -> m.put(g.name(), g.groupId()));
    return m;
  }

  private static void groupSet(Xml out, InstanceEntity e, Map<String, String> groupIds, String version) {
    out.open("groupSet");
    for (String name : Images.words(e.groupNames)) {
      out.open("item");
      if (version.compareTo("2009-04-04") <= 0) {
        out.leaf("groupId", name);
      } else {
        out.leaf("groupId", groupIds.getOrDefault(name, "")).leaf("groupName", name);
      }
      out.close("item");
    }
    out.close("groupSet");
  }

  static void instanceItem(Xml out, InstanceEntity e, String version) {
    InstanceState s = InstanceState.of(e.state);
    out.open("item").leaf("instanceId", e.instanceId).leaf("imageId", e.imageId);
    state(out, "instanceState", s);
    out.leaf("privateDnsName", dns(e.privateIp)).leaf("dnsName", dns(e.publicIp)).leaf("reason", "");
    if (e.keyName != null) {
      out.leaf("keyName", e.keyName);
    }
    out.leaf("amiLaunchIndex", e.launchIndex);
    out.open("productCodes");
    for (String code : Images.words(e.productCodes)) {
      out.open("item").leaf("productCode", code).close("item");
    }
    out.close("productCodes");
    out.leaf("instanceType", e.instanceType).leaf("launchTime", TIME.format(Instant.ofEpochMilli(e.launchMillis)));
    out.open("placement").leaf("availabilityZone", e.cluster).close("placement");
    if (e.kernelId != null) {
      out.leaf("kernelId", e.kernelId);
    }
    if (e.ramdiskId != null) {
      out.leaf("ramdiskId", e.ramdiskId);
    }
    if (version.compareTo("2009-07-15") >= 0) {
      out.open("monitoring").leaf("state", "disabled").close("monitoring");
      if (known(e.privateIp)) {
        out.leaf("privateIpAddress", e.privateIp);
      }
      if (known(e.publicIp)) {
        out.leaf("ipAddress", e.publicIp);
      }
    }
    out.close("item");
  }

  private static boolean known(String ip) {
    return ip != null && !ip.isBlank() && !ip.equals("0.0.0.0");
  }

  /** 1.5.2 had no DNS: the names are the addresses (0.0.0.0 until the CC has learnt it). */
  private static String dns(String ip) {
    return ip == null || ip.isBlank() ? "0.0.0.0" : ip;
  }

  private static void state(Xml out, String element, InstanceState s) {
    out.open(element).leaf("code", s.code()).leaf("name", s.label()).close(element);
  }

  // ------------------------------------------------------------------ Terminate, Reboot, Console

  /** The instances named in the request, each one the caller may act on; NotFound otherwise. */
  private List<InstanceEntity> named(QueryRequest r, Accounts.User caller) {
    List<String> ids = CloudActions.indexed(r.params(), "InstanceId");
    if (ids.isEmpty()) {
      throw Ec2Exception.missingParameter("InstanceId.1");
    }
    List<InstanceEntity> out = new ArrayList<>();
    for (String id : ids.stream().distinct().toList()) {
      out.add(owned(id, caller));
    }
    return out;
  }

  private InstanceEntity owned(String id, Accounts.User caller) {
    if (!InstanceIds.isInstanceId(id)) {
      throw new Ec2Exception(400, "InvalidInstanceID.Malformed", "Invalid id: \"" + id + "\"");
    }
    return instances.find(id).filter(e -> caller.admin() || e.owner.equals(caller.name()))
        .orElseThrow(() -> notFound(id));
  }

  private static Ec2Exception notFound(String id) {
    return new Ec2Exception(400, "InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist");
  }

  private void terminate(QueryRequest r, Accounts.User caller, Xml out) {
    List<InstanceEntity> named = named(r, caller);
    Map<String, InstanceState> previous = new LinkedHashMap<>();
    Map<String, InstanceState> current = new LinkedHashMap<>();
    Map<String, List<String>> byCluster = new LinkedHashMap<>();
    for (InstanceEntity e : named) {
      InstanceState[] before = new InstanceState[1];
      InstanceState[] after = new InstanceState[1];
      instances.update(e.instanceId, live -> {
        before[0] = InstanceState.of(live.state);
        if (before[0] != InstanceState.TERMINATED) {
          live.terminateRequested = true;
          if (before[0] != InstanceState.SHUTTING_DOWN) {
            live.state = InstanceState.SHUTTING_DOWN.label();
            live.stateMillis = System.currentTimeMillis();
          }
        }
        after[0] = InstanceState.of(live.state);
      });
      if (before[0] == null) {
        before[0] = InstanceState.TERMINATED; // forgotten meanwhile
        after[0] = InstanceState.TERMINATED;
      }
      previous.put(e.instanceId, before[0]);
      current.put(e.instanceId, after[0]);
      if (before[0] != InstanceState.TERMINATED) {
        byCluster.computeIfAbsent(e.cluster, k -> new ArrayList<>()).add(e.instanceId);
      }
    }
    for (Map.Entry<String, List<String>> c : byCluster.entrySet()) {
      ClusterEntity cluster = cluster(c.getKey());
      if (cluster == null) {
        continue;
      }
      try {
        client.terminateInstances(cluster.host, cluster.port, c.getValue());
      } catch (Exception ex) {
        // the poller asks again while the node still reports them alive
        LOG.warn("TerminateInstances {} on cluster {}: {}", c.getValue(), c.getKey(), ex.toString());
      }
    }
    wakePoller.run();
    String newState = version(r).compareTo("2009-08-15") <= 0 ? "shutdownState" : "currentState";
    out.open("instancesSet");
    for (String id : previous.keySet()) {
      out.open("item").leaf("instanceId", id);
      if (newState.equals("currentState")) {
        state(out, "currentState", current.get(id));
        state(out, "previousState", previous.get(id));
      } else {
        state(out, "shutdownState", current.get(id));
        state(out, "previousState", previous.get(id));
      }
      out.close("item");
    }
    out.close("instancesSet");
  }

  private void reboot(QueryRequest r, Accounts.User caller, Xml out) throws Exception {
    Map<String, List<String>> byCluster = new LinkedHashMap<>();
    for (InstanceEntity e : named(r, caller)) {
      if (InstanceState.of(e.state).alive()) {
        byCluster.computeIfAbsent(e.cluster, k -> new ArrayList<>()).add(e.instanceId);
      }
    }
    for (Map.Entry<String, List<String>> c : byCluster.entrySet()) {
      ClusterEntity cluster = cluster(c.getKey());
      if (cluster == null || !client.rebootInstances(cluster.host, cluster.port, c.getValue())) {
        LOG.warn("RebootInstances {}: cluster {} could not reboot them all", c.getValue(), c.getKey());
      }
    }
    out.leaf("return", true);
  }

  private void console(QueryRequest r, Accounts.User caller, Xml out) throws Exception {
    // InstanceId as the API names it; InstanceId.1 as boto (and so euca2ools) sends it
    String id = r.param("InstanceId") != null && !r.param("InstanceId").isEmpty() ? r.param("InstanceId")
        : r.param("InstanceId.1");
    if (id == null || id.isEmpty()) {
      throw Ec2Exception.missingParameter("InstanceId");
    }
    InstanceEntity e = owned(id, caller);
    ClusterClient.ConsoleOutput console = null;
    ClusterEntity cluster = cluster(e.cluster);
    if (cluster != null && InstanceState.of(e.state) != InstanceState.TERMINATED) {
      console = client.getConsoleOutput(cluster.host, cluster.port, e.instanceId);
    }
    Instant when = console == null || console.timestamp() == null ? Instant.now() : console.timestamp();
    out.leaf("instanceId", e.instanceId).leaf("timestamp", TIME.format(when))
        .leaf("output", console == null ? "" : console.base64());
  }

  private ClusterEntity cluster(String name) {
    return clusters.registered().stream().filter(c -> c.name.equals(name)).findFirst().orElse(null);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static String version(QueryRequest r) {
    String v = r.param("Version");
    return v == null || v.isBlank() ? "2009-04-04" : v;
  }
}
