package com.eucalyptus.clc.api.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.clc.TestDatabases;
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
import com.eucalyptus.clc.compute.network.GroupNetworks;
import com.eucalyptus.clc.compute.network.NetworkIndexes;
import com.eucalyptus.clc.compute.groups.SecurityGroups;
import com.eucalyptus.clc.compute.instances.CapacityLedger;
import com.eucalyptus.clc.compute.instances.InstancePoller;
import com.eucalyptus.clc.compute.instances.Instances;
import com.eucalyptus.clc.compute.instances.Launcher;
import com.eucalyptus.clc.compute.instances.Reconciler;
import com.eucalyptus.clc.compute.instances.RunningInstancesCheck;
import com.eucalyptus.clc.compute.instances.StoredInstanceMetadata;
import com.eucalyptus.clc.compute.keys.KeyPairs;
import com.eucalyptus.clc.images.Images;
import com.eucalyptus.clc.metadata.InstanceMetadata;
import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.clc.persistence.ImageEntity;
import com.eucalyptus.clc.persistence.VmTypeEntity;
import com.eucalyptus.clc.properties.SystemProperties;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The instance actions over a real HSQLDB with an in-memory cluster (InMemoryCluster, the CC's
 * part as the CLC sees it, here in SYSTEM mode; the real CC and NC are in itests' InstancesApiIT): response shapes,
 * refusals, isolation between users, the poller's state changes and a CLC restart.
 */
class InstanceActionsTest {
  @TempDir
  Path home;
  Database db;
  Accounts accounts;
  Accounts.User admin;
  Accounts.User alice;
  Accounts.User bob;
  Images images;
  Clusters clusters;
  InMemoryCluster cc;
  Instances instances;
  InstancePoller poller;
  InstanceActions actions;
  SystemProperties properties;
  final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  /** What a DescribeResources sent now would do to the CLC's counts (nothing unless a test says). */
  Runnable refreshCapacity = () -> { };

  @BeforeEach
  void setUp() {
    db = TestDatabases.fileDatabase(home);
    accounts = new Accounts(db);
    admin = accounts.add("admin", "", true, null).orElseThrow();
    alice = accounts.add("alice", "", false, null).orElseThrow();
    bob = accounts.add("bob", "", false, null).orElseThrow();
    properties = new SystemProperties(db);
    properties.ensureDefaults(home.toString());
    db.tx(s -> {
      s.persist(new VmTypeEntity("m1.small", 1, 128, 2));
      s.persist(new VmTypeEntity("m1.large", 2, 512, 10));
      return null;
    });
    images = new Images(db);
    images.register(image("eki-00000001", "admin", "kernel", true));
    images.register(image("eki-00000002", "admin", "kernel", true));
    images.register(image("eri-00000003", "admin", "ramdisk", true));
    ImageEntity m = image("emi-00000004", "alice", "machine", false);
    m.kernelId = "eki-00000001";
    m.ramdiskId = "eri-00000003";
    images.register(m);
    ImageEntity off = image("emi-00000005", "alice", "machine", false);
    off.kernelId = "eki-00000001";
    off.enabled = false;
    images.register(off);
    clusters = new Clusters(db);
    clusters.register("cluster1", "127.0.0.1", 8774);
    cc = new InMemoryCluster();
    cc.room = 3;
    resources(3);
    start();
  }

  /** (Re)starts the CLC's instance side over the same database, as a CLC restart does. */
  void start() {
    instances = new Instances(db);
    long since = now.get();
    poller = new InstancePoller(instances, clusters, cc, () -> new Reconciler.Settings(Duration.ofSeconds(60),
        Duration.ofSeconds(3600), since), () -> new InstancePoller.Periods(Duration.ofMillis(300), Duration.ofSeconds(5)),
        now::get);
    GroupNetworks networks = new GroupNetworks(new NetworkIndexes(db), new SecurityGroups(db), instances, clusters, cc);
    Launcher launcher = new Launcher(instances, clusters, cc, new CapacityLedger(clusters::countedAt),
        () -> refreshCapacity.run(), () -> { }, now::get, networks,
        new AddressPool(db, instances, clusters, cc, () -> AddressSettings.of(properties)));
    actions = new InstanceActions(instances, launcher, images, new KeyPairs(db), new SecurityGroups(db), clusters, cc,
        properties, () -> { }, 8773);
  }

  /** What the cluster poller would have learnt from a DescribeResources sent now. */
  void resources(int smallAvailable) {
    clusters.update(new ClusterStatus("cluster1", "127.0.0.1", 8774, true,
        Map.of("m1.small", new ClusterClient.TypeCount("m1.small", smallAvailable, 4),
            "m1.large", new ClusterClient.TypeCount("m1.large", smallAvailable / 4, 1)), List.of()), Instant.now());
  }

  @AfterEach
  void tearDown() {
    poller.close();
    db.close();
  }

  static ImageEntity image(String id, String owner, String kind, boolean isPublic) {
    return ImageRows.available(id, owner, kind, isPublic);
  }

  String call(String action, Accounts.User caller, String... params) throws Exception {
    Ec2Action a = actions.all().stream().filter(x -> x.name().equals(action)).findFirst().orElseThrow();
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

  static String first(String xml, String element) {
    Matcher m = Pattern.compile("<" + element + ">([^<]*)</" + element + ">").matcher(xml);
    return m.find() ? m.group(1) : null;
  }

  @Test
  void runInstancesAnswersTheReservationAndTellsTheCcEverything() throws Exception {
    new KeyPairs(db).importKey("alice", "k1", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7 x");
    String xml = call("RunInstances", alice, "ImageId", "emi-00000004", "MinCount", "1", "MaxCount", "2", "KeyName", "k1",
        "UserData", Base64.getEncoder().encodeToString("hello".getBytes()), "Version", "2014-10-01");
    assertTrue(xml.matches("<reservationId>r-[0-9A-F]{8}</reservationId><ownerId>alice</ownerId>"
        + "<groupSet><item><groupId>sg-[0-9a-f]+</groupId><groupName>default</groupName></item></groupSet>"
        + "<instancesSet>(<item><instanceId>i-[0-9A-F]{8}</instanceId><imageId>emi-00000004</imageId>"
        + "<instanceState><code>0</code><name>pending</name></instanceState><privateDnsName>0.0.0.0</privateDnsName>"
        + "<dnsName>0.0.0.0</dnsName><reason></reason><keyName>k1</keyName><amiLaunchIndex>[01]</amiLaunchIndex>"
        + "<productCodes></productCodes><instanceType>m1.small</instanceType>"
        + "<launchTime>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z</launchTime>"
        + "<placement><availabilityZone>cluster1</availabilityZone></placement><kernelId>eki-00000001</kernelId>"
        + "<ramdiskId>eri-00000003</ramdiskId><monitoring><state>disabled</state></monitoring></item>){2}</instancesSet>"),
        xml);
    ClusterClient.Launch l = cc.launches.get(0);
    assertEquals(2, l.instanceIds().size());
    assertEquals("http://127.0.0.1:8773/services/Walrus/b/emi-00000004.manifest.xml", l.imageUrl());
    assertEquals("http://127.0.0.1:8773/services/Walrus/b/eki-00000001.manifest.xml", l.kernelUrl());
    assertEquals("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7 k1", l.keyText());
    assertEquals(Base64.getEncoder().encodeToString("hello".getBytes()), l.userData());
    assertEquals(List.of("default"), l.groupNames());
    assertEquals("m1.small", l.type().name());

    // the old API version: group names as groupId, no address elements
    String old = call("DescribeInstances", alice);
    assertTrue(old.contains("<groupSet><item><groupId>default</groupId></item></groupSet>"), old);
    assertFalse(old.contains("monitoring"), old);
  }

  @Test
  void refusalsAreTheClientsEc2Errors() {
    assertTrue(refusal("RunInstances", alice, "ImageId", "emi-00000005").startsWith("InvalidAMIID.Unavailable: "
        + "The image emi-00000005 has been disabled by the administrator"));
    assertTrue(refusal("RunInstances", bob, "ImageId", "emi-00000004").startsWith("InvalidAMIID.NotFound"),
        "bob may not launch alice's private image");
    assertTrue(refusal("RunInstances", alice, "ImageId", "emi-00000004", "KeyName", "nokey")
        .startsWith("InvalidKeyPair.NotFound"));
    assertTrue(refusal("RunInstances", alice, "ImageId", "emi-00000004", "SecurityGroup.1", "nogroup")
        .startsWith("InvalidGroup.NotFound"));
    assertTrue(refusal("RunInstances", alice, "ImageId", "emi-00000004", "InstanceType", "m9.huge")
        .startsWith("InvalidParameterValue"));
    assertTrue(refusal("RunInstances", alice, "ImageId", "emi-00000004", "MinCount", "3", "MaxCount", "2")
        .startsWith("InvalidParameterValue"));
    String big = Base64.getEncoder().encodeToString(new byte[16 * 1024 + 1]);
    assertTrue(refusal("RunInstances", alice, "ImageId", "emi-00000004", "UserData", big)
        .startsWith("InvalidParameterValue: UserData is 16385 bytes"));
    assertTrue(refusal("RunInstances", alice, "ImageId", "emi-00000004", "KernelId", "eki-0000000F")
        .startsWith("InvalidAMIID.NotFound"));
    assertTrue(refusal("RunInstances", alice, "ImageId", "emi-00000004", "Placement.AvailabilityZone", "nowhere")
        .startsWith("InvalidParameterValue"));
    assertTrue(cc.launches.isEmpty(), "nothing reached the cluster");
    assertTrue(refusal("RunInstances", alice, "ImageId", "emi-00000004", "MinCount", "4", "MaxCount", "4")
        .startsWith("InsufficientInstanceCapacity"));
    assertTrue(cc.launches.isEmpty(), "refused on the CLC's own numbers");
    assertTrue(refusal("DescribeInstances", alice, "InstanceId.1", "i-12345678").startsWith("InvalidInstanceID.NotFound"));
  }

  @Test
  void exactly16KbOfUserDataIsAcceptedAndTheKernelOverrideIsUsed() throws Exception {
    String max = Base64.getEncoder().encodeToString(new byte[16 * 1024]);
    String xml = call("RunInstances", alice, "ImageId", "emi-00000004", "UserData", max, "KernelId", "eki-00000002");
    assertEquals("eki-00000002", first(xml, "kernelId"));
    assertEquals("http://127.0.0.1:8773/services/Walrus/b/eki-00000002.manifest.xml", cc.launches.get(0).kernelUrl());
  }

  @Test
  void anImageWithoutKernelOrRamdiskRunsWithTheAdministratorsDefaults() throws Exception {
    ImageEntity bare = image("emi-00000006", "alice", "machine", false);
    images.register(bare);
    assertTrue(refusal("RunInstances", alice, "ImageId", "emi-00000006").contains("no default kernel"));
    properties.set(SystemProperties.DEFAULT_KERNEL, "eki-00000002");
    properties.set(SystemProperties.DEFAULT_RAMDISK, "eri-00000003");
    String xml = call("RunInstances", alice, "ImageId", "emi-00000006");
    assertEquals("eki-00000002", first(xml, "kernelId"));
    assertEquals("eri-00000003", first(xml, "ramdiskId"));
    assertEquals("http://127.0.0.1:8773/services/Walrus/b/eri-00000003.manifest.xml", cc.launches.get(0).ramdiskUrl());
  }

  @Test
  void capacityHeldByTheClcCountsUntilTheCcHasCountedIt() throws Exception {
    call("RunInstances", alice, "ImageId", "emi-00000004", "MinCount", "2", "MaxCount", "2");
    // the CLC's numbers still say 3; it has 2 of them held: a second request for 2 is refused
    assertTrue(refusal("RunInstances", alice, "ImageId", "emi-00000004", "MinCount", "2", "MaxCount", "2")
        .startsWith("InsufficientInstanceCapacity"));
    // MaxCount is cut to what fits
    String one = call("RunInstances", alice, "ImageId", "emi-00000004", "MinCount", "1", "MaxCount", "5");
    assertEquals(1, one.split("<instanceId>").length - 1);
    resources(0); // a DescribeResources sent now counts all three
    assertTrue(refusal("RunInstances", alice, "ImageId", "emi-00000004").startsWith("InsufficientInstanceCapacity"));
  }

  @Test
  void aRunRefusedOnStaleCountsIsJudgedAgainOnFreshOnes() throws Exception {
    resources(0); // the last periodic poll saw no room; a terminate has freed the node since
    refreshCapacity = () -> resources(3);
    String reply = call("RunInstances", alice, "ImageId", "emi-00000004");
    assertTrue(reply.contains("<instanceId>i-"), reply);
    refreshCapacity = () -> resources(0); // really full: the fresh counts agree
    assertTrue(refusal("RunInstances", alice, "ImageId", "emi-00000004", "MinCount", "3", "MaxCount", "3")
        .contains("InsufficientInstanceCapacity"));
  }

  @Test
  void theCcsRefusalLeavesNothingBehind() throws Exception {
    cc.room = 1; // the CC knows better than the CLC's last numbers
    assertTrue(refusal("RunInstances", alice, "ImageId", "emi-00000004", "MinCount", "2", "MaxCount", "2")
        .contains("only 1 fit"));
    assertEquals("<reservationSet></reservationSet>", call("DescribeInstances", alice));
  }

  @Test
  void aWakeStartsFastPollingSoARunningGuestShowsWithoutWaitingForTheSlowPoll() throws Exception {
    poller.close();
    // the slow period is an hour: only the fast polls after the wake can see the guest start
    poller = new InstancePoller(instances, clusters, cc, () -> new Reconciler.Settings(Duration.ofSeconds(60),
        Duration.ofSeconds(3600), now.get()), () -> new InstancePoller.Periods(Duration.ofMillis(50), Duration.ofHours(1)),
        now::get);
    String id = first(call("RunInstances", alice, "ImageId", "emi-00000004"), "instanceId");
    poller.wake();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (cc.describes.get() < 1 && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    cc.states.put(id, "Extant"); // the guest starts after the first poll
    String d = "";
    while (System.nanoTime() < end && !(d = call("DescribeInstances", alice)).contains("<name>running</name>")) {
      Thread.sleep(20);
    }
    assertTrue(d.contains("<name>running</name>"), "after " + cc.describes.get() + " polls: " + d);
  }

  @Test
  void theLifecycleSeenThroughDescribeTerminateRebootAndConsole() throws Exception {
    String id = first(call("RunInstances", alice, "ImageId", "emi-00000004"), "instanceId");
    poller.pollOnce();
    cc.states.put(id, "Extant");
    now.addAndGet(1000);
    assertTrue(poller.pollOnce() == false, "nothing pending any more: slow polling");
    String d = call("DescribeInstances", alice, "Version", "2016-11-15");
    assertTrue(d.contains("<instanceState><code>16</code><name>running</name></instanceState>"
        + "<privateDnsName>10.0.0.5</privateDnsName><dnsName>10.0.0.5</dnsName>"), d);
    assertTrue(d.contains("<privateIpAddress>10.0.0.5</privateIpAddress><ipAddress>10.0.0.5</ipAddress>"), d);

    // bob neither sees nor touches it
    assertEquals("<reservationSet></reservationSet>", call("DescribeInstances", bob));
    for (String action : List.of("DescribeInstances", "TerminateInstances", "RebootInstances")) {
      assertTrue(refusal(action, bob, "InstanceId.1", id).startsWith("InvalidInstanceID.NotFound"), action);
    }
    assertTrue(refusal("GetConsoleOutput", bob, "InstanceId", id).startsWith("InvalidInstanceID.NotFound"));

    String console = call("GetConsoleOutput", alice, "InstanceId", id);
    assertEquals("<instanceId>" + id + "</instanceId><timestamp>2026-11-24T10:00:00.000Z</timestamp><output>"
        + Base64.getEncoder().encodeToString(("Linux version 6.1 " + id + "\n").getBytes()) + "</output>", console);
    assertEquals(console, call("GetConsoleOutput", alice, "InstanceId.1", id), "boto's form of the parameter");
    assertEquals("<return>true</return>", call("RebootInstances", alice, "InstanceId.1", id));
    assertEquals(List.of(id), cc.rebooted);

    // the metadata service finds it by its address; the user cannot be deleted meanwhile
    InstanceMetadata md = new StoredInstanceMetadata(instances, "qemu").forPrivateAddress("10.0.0.5").orElseThrow();
    assertEquals(id, md.instanceId());
    assertEquals("vda1", md.blockDeviceMapping().get("ami"));
    assertEquals(List.of("has the instance " + id + " (running)"), new RunningInstancesCheck(instances)
        .whatBlocksDeletion("alice"));

    // the admin sees it and terminates it
    assertTrue(call("DescribeInstances", admin).contains(id));
    String t = call("TerminateInstances", admin, "InstanceId.1", id, "Version", "2016-11-15");
    assertEquals("<instancesSet><item><instanceId>" + id + "</instanceId><currentState><code>32</code>"
        + "<name>shutting-down</name></currentState><previousState><code>16</code><name>running</name></previousState>"
        + "</item></instancesSet>", t);
    assertEquals("Teardown", cc.states.get(id));
    now.addAndGet(1000);
    poller.pollOnce();
    assertTrue(call("DescribeInstances", alice).contains("<code>48</code><name>terminated</name>"));
    assertTrue(new StoredInstanceMetadata(instances, "qemu").forPrivateAddress("10.0.0.5").isEmpty());
    assertTrue(new RunningInstancesCheck(instances).whatBlocksDeletion("alice").isEmpty());
    String again = call("TerminateInstances", alice, "InstanceId.1", id, "Version", "2008-12-01");
    assertTrue(again.contains("<shutdownState><code>48</code><name>terminated</name></shutdownState>"), again);

    // visible for the configured while, then forgotten
    cc.states.remove(id);
    now.addAndGet(3_600_000);
    poller.pollOnce();
    assertTrue(call("DescribeInstances", alice).contains(id));
    now.addAndGet(1000);
    poller.pollOnce();
    assertEquals("<reservationSet></reservationSet>", call("DescribeInstances", alice));
  }

  @Test
  void aRestartedClcKnowsItsInstancesAndASilentNodesInstancesAreLostAfterTheGrace() throws Exception {
    String id = first(call("RunInstances", alice, "ImageId", "emi-00000004"), "instanceId");
    cc.states.put(id, "Extant");
    poller.pollOnce();
    poller.close();
    start(); // a new CLC over the same database
    assertTrue(call("DescribeInstances", alice).contains("<name>running</name>"));
    cc.silentNode = true; // the node stops answering; the CC repeats its old lastSeen
    now.addAndGet(30_000);
    poller.pollOnce();
    assertTrue(call("DescribeInstances", alice).contains("<name>running</name>"), "within the grace");
    now.addAndGet(31_000);
    poller.pollOnce();
    assertTrue(call("DescribeInstances", alice).contains("<name>shutting-down</name>"));
    cc.silentNode = false; // it came back
    now.addAndGet(1000);
    poller.pollOnce();
    assertTrue(call("DescribeInstances", alice).contains("<name>running</name>"));
    cc.silentNode = true;
    now.addAndGet(121_000);
    poller.pollOnce();
    assertTrue(call("DescribeInstances", alice).contains("<name>terminated</name>"));
  }
}
