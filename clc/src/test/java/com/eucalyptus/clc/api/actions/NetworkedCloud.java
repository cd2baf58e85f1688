package com.eucalyptus.clc.api.actions;

import com.eucalyptus.clc.TestDatabases;
import com.eucalyptus.clc.TestStorage;
import com.eucalyptus.clc.compute.volumes.VolumeManager;
import com.eucalyptus.clc.compute.volumes.VolumeSettings;
import com.eucalyptus.clc.compute.volumes.Volumes;
import com.eucalyptus.storage.controller.StorageController;
import com.eucalyptus.clc.accounts.Accounts;
import com.eucalyptus.clc.api.Ec2Action;
import com.eucalyptus.clc.api.Ec2Exception;
import com.eucalyptus.clc.api.QueryRequest;
import com.eucalyptus.clc.api.Xml;
import com.eucalyptus.clc.cluster.ClusterClient;
import com.eucalyptus.clc.cluster.ClusterStatus;
import com.eucalyptus.clc.cluster.Clusters;
import com.eucalyptus.clc.cluster.InMemoryCluster;
import com.eucalyptus.clc.compute.addresses.AddressPool;
import com.eucalyptus.clc.compute.addresses.AddressSettings;
import com.eucalyptus.clc.compute.groups.SecurityGroups;
import com.eucalyptus.clc.compute.instances.CapacityLedger;
import com.eucalyptus.clc.compute.instances.InstancePoller;
import com.eucalyptus.clc.compute.instances.Instances;
import com.eucalyptus.clc.compute.instances.Launcher;
import com.eucalyptus.clc.compute.instances.Reconciler;
import com.eucalyptus.clc.compute.keys.KeyPairs;
import com.eucalyptus.clc.compute.network.GroupNetworks;
import com.eucalyptus.clc.compute.network.NetworkIndexes;
import com.eucalyptus.clc.images.Images;
import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.clc.persistence.ImageEntity;
import com.eucalyptus.clc.persistence.VmTypeEntity;
import com.eucalyptus.clc.properties.SystemProperties;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CLC wired as CloudControllerMain wires it (instances, security groups, networks, addresses)
 * over a real HSQLDB, with one cluster whose CC is an {@link InMemoryCluster} — the tier boundary,
 * standing for the real CC (MANAGED-NOVLAN with a public pool unless a test says otherwise), which
 * the integration tests run. {@link #restart} starts a new CLC over the same database.
 */
final class NetworkedCloud implements AutoCloseable {
  final Path home;
  final Database db;
  final Accounts accounts;
  final Accounts.User admin;
  final Accounts.User alice;
  final Accounts.User bob;
  final SystemProperties properties;
  final Clusters clusters;
  final InMemoryCluster cc;
  final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  Instances instances;
  InstancePoller poller;
  GroupNetworks networks;
  NetworkIndexes indexes;
  AddressPool addresses;
  List<Ec2Action> actions;
  /** the real storage controller's files, keys and address (nbd backend) */
  final TestStorage storageHost;
  /** the storage controller as the last (re)start opened it; none when {@link #ebsOff} says why */
  StorageController storage;
  String ebsOff;
  /** runs volume creations; direct unless a test holds them back */
  java.util.concurrent.Executor volumeMaker = Runnable::run;
  Volumes volumeStore;
  VolumeManager volumes;

  NetworkedCloud(Path home, InMemoryCluster cc) {
    this.home = home;
    this.cc = cc;
    db = TestDatabases.fileDatabase(home);
    accounts = new Accounts(db);
    admin = accounts.add("admin", "", true, null).orElseThrow();
    alice = accounts.add("alice", "", false, null).orElseThrow();
    bob = accounts.add("bob", "", false, null).orElseThrow();
    properties = new SystemProperties(db);
    properties.ensureDefaults(home.toString());
    db.tx(s -> {
      s.persist(new VmTypeEntity("m1.small", 1, 128, 2));
      return null;
    });
    Images images = new Images(db);
    images.register(ImageRows.available("eki-00000001", "admin", "kernel", true));
    ImageEntity m = ImageRows.available("emi-00000004", "admin", "machine", true);
    m.kernelId = "eki-00000001";
    images.register(m);
    clusters = new Clusters(db);
    clusters.register("cluster1", "127.0.0.1", 8774);
    clusters.update(new ClusterStatus("cluster1", "127.0.0.1", 8774, true,
        Map.of("m1.small", new ClusterClient.TypeCount("m1.small", 20, 20)), List.of()), Instant.now());
    cc.room = 20;
    storageHost = new TestStorage(home);
    start();
  }

  /** (Re)starts the CLC's parts over the same database, as a CLC restart does. */
  void start() {
    instances = new Instances(db);
    long since = now.get();
    poller = new InstancePoller(instances, clusters, cc, () -> new Reconciler.Settings(Duration.ofSeconds(60),
        Duration.ofSeconds(3600), since), () -> new InstancePoller.Periods(Duration.ofMillis(300), Duration.ofSeconds(5)),
        now::get);
    SecurityGroups groups = new SecurityGroups(db);
    indexes = new NetworkIndexes(db);
    networks = new GroupNetworks(indexes, groups, instances, clusters, cc);
    addresses = new AddressPool(db, instances, clusters, cc, () -> AddressSettings.of(properties));
    poller.addressBook(addresses::book);
    volumeStore = new Volumes(db);
    String off = ebsOff;
    storage = off == null ? storageHost.open() : null;
    StorageController sc = storage;
    volumes = new VolumeManager(volumeStore, instances, clusters, cc, storage, () -> off != null ? off : sc.problem(),
        () -> VolumeSettings.of(properties), r -> volumeMaker.execute(r), now::get);
    try {
      volumes.recover();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    poller.onEnded(ended -> {
      addresses.instancesEnded(ended);
      networks.releaseUnused();
      volumes.instancesEnded(ended);
    });
    Launcher launcher = new Launcher(instances, clusters, cc, new CapacityLedger(clusters::countedAt), () -> { },
        () -> { }, now::get, networks, addresses);
    actions = new ArrayList<>();
    actions.addAll(new InstanceActions(instances, launcher, new Images(db), new KeyPairs(db), groups, clusters, cc,
        properties, () -> { }, 8773).all());
    actions.addAll(new SecurityGroupActions(groups, networks).all());
    actions.addAll(new AddressActions(addresses).all());
    actions.addAll(new VolumeActions(volumes).all());
  }

  void restart() {
    poller.close();
    start();
  }

  String call(String action, Accounts.User caller, String... params) throws Exception {
    Ec2Action a = actions.stream().filter(x -> x.name().equals(action)).findFirst().orElseThrow();
    StringBuilder q = new StringBuilder("Action=" + action);
    for (int k = 0; k < params.length; k += 2) {
      q.append('&').append(params[k]).append('=').append(URLEncoder.encode(params[k + 1], StandardCharsets.UTF_8));
    }
    QueryRequest r = QueryRequest.of("GET", "127.0.0.1", "/services/Eucalyptus", q.toString(), new byte[0], null,
        Map.of());
    Xml out = new Xml();
    a.handle(r, caller, out);
    return out.toString();
  }

  /** "Code: message" of the action's refusal; fails the test when it was not refused. */
  String refusal(String action, Accounts.User caller, String... params) {
    try {
      call(action, caller, params);
    } catch (Ec2Exception e) {
      return e.code() + ": " + e.getMessage();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError(action + " was not refused");
  }

  /** RunInstances of one instance; its id. */
  String run(Accounts.User caller, String... params) throws Exception {
    List<String> p = new ArrayList<>(List.of("ImageId", "emi-00000004"));
    p.addAll(List.of(params));
    return first(call("RunInstances", caller, p.toArray(String[]::new)), "instanceId");
  }

  /** The instance's node reports it running, and the poller has seen it. */
  void running(String id) {
    cc.states.put(id, "Extant");
    now.addAndGet(1000);
    poller.pollOnce();
  }

  /** TerminateInstances, then the poller sees it gone. */
  void terminate(Accounts.User caller, String id) throws Exception {
    call("TerminateInstances", caller, "InstanceId.1", id);
    now.addAndGet(1000);
    poller.pollOnce();
  }

  static String first(String xml, String element) {
    Matcher m = Pattern.compile("<" + element + ">([^<]*)</" + element + ">").matcher(xml);
    return m.find() ? m.group(1) : null;
  }

  @Override
  public void close() {
    poller.close();
    storageHost.stopExports();
    db.close();
  }
}
