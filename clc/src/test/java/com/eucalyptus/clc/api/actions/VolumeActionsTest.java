package com.eucalyptus.clc.api.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.clc.cluster.InMemoryCluster;
import com.eucalyptus.clc.compute.volumes.HeldVolumesCheck;
import com.eucalyptus.clc.properties.SystemProperties;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The EBS volume actions through the real actions over a real HSQLDB, with real sparse files on
 * the storage side ({@link FolderVolumeBackend}) and the in-test CC ({@link InMemoryCluster}: the
 * tier boundary; the real CC and NC hot-plug are the integration tests').
 */
class VolumeActionsTest extends VolumeCloudFixture {
  String runningInstance() throws Exception {
    String id = cloud.run(cloud.alice);
    cloud.running(id);
    return id;
  }

  @Test
  void createDescribeDeleteInEc2sShapes() throws Exception {
    String xml = cloud.call("CreateVolume", cloud.alice, "Size", "1", "AvailabilityZone", "cluster1");
    String id = NetworkedCloud.first(xml, "volumeId");
    assertTrue(id.matches("vol-[0-9A-F]{8}"), id);
    assertTrue(xml.matches("<volumeId>" + id + "</volumeId><size>1</size><snapshotId></snapshotId>"
        + "<availabilityZone>cluster1</availabilityZone><status>creating</status>"
        + "<createTime>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z</createTime>"), xml);
    assertEquals(GIB, Files.size(disk().file(id)), "a sparse file of 1 GiB");
    String d = cloud.call("DescribeVolumes", cloud.alice);
    assertTrue(d.startsWith("<volumeSet><item><volumeId>" + id + "</volumeId><size>1</size><snapshotId></snapshotId>"
        + "<availabilityZone>cluster1</availabilityZone><status>available</status><createTime>"), d);
    assertTrue(d.endsWith("</createTime><attachmentSet></attachmentSet></item></volumeSet>"), d);
    assertEquals(d, cloud.call("DescribeVolumes", cloud.alice, "VolumeId.1", id));
    assertEquals("<return>true</return>", cloud.call("DeleteVolume", cloud.alice, "VolumeId", id));
    assertFalse(Files.exists(disk().file(id)));
    assertEquals("<volumeSet></volumeSet>", cloud.call("DescribeVolumes", cloud.alice));
    assertEquals("InvalidVolume.NotFound: The volume '" + id + "' does not exist.",
        cloud.refusal("DescribeVolumes", cloud.alice, "VolumeId.1", id));
    assertEquals("InvalidVolume.NotFound: The volume '" + id + "' does not exist.",
        cloud.refusal("DeleteVolume", cloud.alice, "VolumeId", id), "deleted twice");
  }

  @Test
  void badSizesZonesAndSnapshotsAreRefused() {
    for (String size : List.of("0", "-1", "abc", "11", "99999999999")) {
      String r = cloud.refusal("CreateVolume", cloud.alice, "Size", size, "AvailabilityZone", "cluster1");
      assertTrue(r.startsWith("InvalidParameterValue: Invalid value '" + size + "' for Size"), r);
    }
    assertEquals("InvalidParameterValue: Invalid value '11' for Size: the largest volume is 10 GB",
        cloud.refusal("CreateVolume", cloud.alice, "Size", "11", "AvailabilityZone", "cluster1"));
    assertEquals("InvalidParameterValue: Invalid availability zone: [nowhere]",
        cloud.refusal("CreateVolume", cloud.alice, "Size", "1", "AvailabilityZone", "nowhere"));
    assertEquals("MissingParameter: The request must contain the parameter Size",
        cloud.refusal("CreateVolume", cloud.alice, "AvailabilityZone", "cluster1"));
    assertEquals("MissingParameter: The request must contain the parameter AvailabilityZone",
        cloud.refusal("CreateVolume", cloud.alice, "Size", "1"));
    assertTrue(cloud.refusal("CreateVolume", cloud.alice, "SnapshotId", "snap-12345678", "AvailabilityZone", "cluster1")
        .startsWith("UnsupportedOperation: Volumes from snapshots"));
    assertEquals("<volumeSet></volumeSet>", call("DescribeVolumes"), "nothing was recorded");
  }

  String call(String action, String... params) {
    try {
      return cloud.call(action, cloud.alice, params);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void theLimitsAreTheRunTimePropertiesAndSpaceComesBack() throws Exception {
    cloud.properties.set(SystemProperties.VOLUMES_MAX_TOTAL_GB, "5");
    cloud.properties.set(SystemProperties.VOLUME_MAX_SIZE_GB, "3");
    String a = create("3");
    create("2");
    assertEquals("VolumeLimitExceeded: Not enough space for a volume of 1 GB: 0 GB of the 5 GB for volumes are left",
        cloud.refusal("CreateVolume", cloud.bob, "Size", "1", "AvailabilityZone", "cluster1"), "the space is the cloud's");
    cloud.call("DeleteVolume", cloud.alice, "VolumeId", a);
    create("3");
    assertTrue(cloud.refusal("CreateVolume", cloud.alice, "Size", "4", "AvailabilityZone", "cluster1")
        .startsWith("InvalidParameterValue"));
    cloud.properties.set(SystemProperties.VOLUMES_MAX_TOTAL_GB, "6");
    create("1");
  }

  @Test
  void theVolumePropertiesAreValidatedAsEveryProperty() {
    assertEquals("must be a positive whole number", SystemProperties.problem(SystemProperties.VOLUME_MAX_SIZE_GB, "0")
        .orElseThrow());
    assertEquals("must be a positive whole number", SystemProperties.problem(SystemProperties.VOLUMES_MAX_TOTAL_GB, "-5")
        .orElseThrow());
    assertEquals("must be one of nbd", SystemProperties.problem(SystemProperties.STORAGE_BACKEND, "aoe").orElseThrow());
    assertEquals("must be an absolute path", SystemProperties.problem(SystemProperties.VOLUMES_PATH, "volumes")
        .orElseThrow());
    assertEquals(home.toAbsolutePath().getParent().resolve("volumes").toString(),
        cloud.properties.get(SystemProperties.VOLUMES_PATH), "beside the bukkits folder, as 1.5.2");
    assertEquals("10", cloud.properties.get(SystemProperties.VOLUME_MAX_SIZE_GB));
    assertEquals("50", cloud.properties.get(SystemProperties.VOLUMES_MAX_TOTAL_GB));
  }

  @Test
  void aCreationTheStorageHostHasNoRoomForFailsTakesNoSpaceAndLeavesNoFile() throws Exception {
    long huge = 1L << 20; // 1 PiB in GB: more than the test's file system has
    cloud.properties.set(SystemProperties.VOLUMES_MAX_TOTAL_GB, String.valueOf(huge + 2));
    cloud.properties.set(SystemProperties.VOLUME_MAX_SIZE_GB, String.valueOf(huge));
    String id = create(String.valueOf(huge));
    assertFalse(Files.exists(disk().partial(id)));
    assertFalse(Files.exists(disk().file(id)));
    assertTrue(cloud.call("DescribeVolumes", cloud.alice).contains("<status>failed</status>"));
    assertEquals(0, cloud.volumeStore.usedGb(), "a failed volume takes no space");
    cloud.properties.set(SystemProperties.VOLUMES_MAX_TOTAL_GB, "2");
    create("2");
    assertEquals("<return>true</return>", cloud.call("DeleteVolume", cloud.alice, "VolumeId", id), "a failed one is deleted");
  }

  @Test
  void anotherUserCannotSeeAttachOrDeleteAVolumeTheAdministratorSeesAll() throws Exception {
    String id = create("1");
    String bobs = cloud.run(cloud.bob);
    cloud.running(bobs);
    String notFound = "InvalidVolume.NotFound: The volume '" + id + "' does not exist.";
    assertEquals("<volumeSet></volumeSet>", cloud.call("DescribeVolumes", cloud.bob));
    assertEquals(notFound, cloud.refusal("DescribeVolumes", cloud.bob, "VolumeId.1", id));
    assertEquals(notFound, cloud.refusal("DeleteVolume", cloud.bob, "VolumeId", id));
    assertEquals(notFound, cloud.refusal("AttachVolume", cloud.bob, "VolumeId", id, "InstanceId", bobs, "Device", "/dev/sdb"));
    assertEquals(notFound, cloud.refusal("DetachVolume", cloud.bob, "VolumeId", id));
    assertEquals("InvalidInstanceID.NotFound: The instance ID '" + bobs + "' does not exist",
        cloud.refusal("AttachVolume", cloud.alice, "VolumeId", id, "InstanceId", bobs, "Device", "/dev/sdb"));
    assertTrue(cloud.call("DescribeVolumes", cloud.admin).contains(id));
  }

  @Test
  void attachAndDetachThroughTheStorageControllerAndTheCc() throws Exception {
    String i = runningInstance();
    String v = create("1");
    String xml = cloud.call("AttachVolume", cloud.alice, "VolumeId", v, "InstanceId", i, "Device", "/dev/sdb");
    assertTrue(xml.matches("<volumeId>" + v + "</volumeId><instanceId>" + i + "</instanceId><device>/dev/sdb</device>"
        + "<status>attaching</status><attachTime>[^<]+</attachTime>"), xml);
    String remote = exportOf(v);
    assertTrue(remote.matches("nbd://" + disk().host.replace(".", "\\.") + ":\\d+/" + v), remote);
    assertEquals(List.of("AttachVolume " + v + " " + i + " " + remote + " /dev/sdb"), cc.logged("AttachVolume"));
    String d = cloud.call("DescribeVolumes", cloud.alice, "Version", "2009-10-31");
    assertTrue(d.contains("<status>in-use</status>"), d);
    assertTrue(d.contains("<attachmentSet><item><volumeId>" + v + "</volumeId><instanceId>" + i + "</instanceId>"
        + "<device>/dev/sdb</device><status>attached</status><attachTime>"), d);
    assertTrue(d.contains("<deleteOnTermination>false</deleteOnTermination>"), d);
    assertFalse(cloud.call("DescribeVolumes", cloud.alice).contains("deleteOnTermination"), "2009-04-04 has none");

    assertEquals("VolumeInUse: " + v + " is already attached to an instance",
        cloud.refusal("AttachVolume", cloud.alice, "VolumeId", v, "InstanceId", i, "Device", "/dev/sdc"));
    assertEquals("VolumeInUse: Volume " + v + " is currently attached to " + i,
        cloud.refusal("DeleteVolume", cloud.alice, "VolumeId", v));
    String other = create("1");
    assertEquals("InvalidParameterValue: Invalid value '/dev/sdb' for unixDevice. Attachment point /dev/sdb is already in use",
        cloud.refusal("AttachVolume", cloud.alice, "VolumeId", other, "InstanceId", i, "Device", "/dev/sdb"));
    assertTrue(cloud.refusal("AttachVolume", cloud.alice, "VolumeId", other, "InstanceId", i, "Device", "sdb")
        .startsWith("InvalidParameterValue: Value (sdb) for parameter device is invalid."));
    assertEquals("InvalidAttachment.NotFound: The volume '" + v + "' is not attached to instance 'i-00000000'",
        cloud.refusal("DetachVolume", cloud.alice, "VolumeId", v, "InstanceId", "i-00000000"));
    assertEquals("InvalidAttachment.NotFound: The volume '" + v + "' is not attached to device '/dev/sdc'",
        cloud.refusal("DetachVolume", cloud.alice, "VolumeId", v, "Device", "/dev/sdc"));
    assertEquals("IncorrectState: Volume '" + other + "' is in the 'available' state.",
        cloud.refusal("DetachVolume", cloud.alice, "VolumeId", other));

    xml = cloud.call("DetachVolume", cloud.alice, "VolumeId", v, "InstanceId", i);
    assertTrue(xml.matches("<volumeId>" + v + "</volumeId><instanceId>" + i + "</instanceId><device>/dev/sdb</device>"
        + "<status>detaching</status><attachTime>[^<]+</attachTime>"), xml);
    assertEquals(List.of("DetachVolume " + v + " " + i), cc.logged("DetachVolume"));
    assertNull(exportOf(v), "the export ended");
    assertTrue(cloud.call("DescribeVolumes", cloud.alice, "VolumeId.1", v).contains(
        "<status>available</status><createTime>"));
    assertEquals("IncorrectState: Volume '" + v + "' is in the 'available' state.",
        cloud.refusal("DetachVolume", cloud.alice, "VolumeId", v));
    cloud.call("AttachVolume", cloud.alice, "VolumeId", v, "InstanceId", i, "Device", "/dev/sdb");
    assertNotNull(exportOf(v), "attached again");
  }

  @Test
  void anInstanceElsewhereNotRunningOrUnknownIsRefused() throws Exception {
    cloud.clusters.register("cluster2", "192.0.2.20", 8774);
    String far = NetworkedCloud.first(cloud.call("CreateVolume", cloud.alice, "Size", "1", "AvailabilityZone", "cluster2"),
        "volumeId");
    String i = runningInstance();
    assertEquals("InvalidVolume.ZoneMismatch: The volume '" + far + "' is not in the same availability zone as instance '"
        + i + "'", cloud.refusal("AttachVolume", cloud.alice, "VolumeId", far, "InstanceId", i, "Device", "/dev/sdb"));
    String v = create("1");
    assertEquals("InvalidInstanceID.NotFound: The instance ID 'i-12345678' does not exist",
        cloud.refusal("AttachVolume", cloud.alice, "VolumeId", v, "InstanceId", "i-12345678", "Device", "/dev/sdb"));
    String pending = cloud.run(cloud.alice);
    assertEquals("IncorrectInstanceState: The instance '" + pending + "' is not 'running'",
        cloud.refusal("AttachVolume", cloud.alice, "VolumeId", v, "InstanceId", pending, "Device", "/dev/sdb"));
    assertEquals(List.of(), cc.logged("AttachVolume"));
    assertNull(exportOf(v));
    assertTrue(cloud.refusal("AttachVolume", cloud.alice, "VolumeId", v, "InstanceId", i).startsWith("MissingParameter"));
  }

  @Test
  void aCcRefusalLeavesTheVolumeAvailableAndUnexported() throws Exception {
    String i = runningInstance();
    String v = create("1");
    cc.attachRefusal = "the node could not attach nbd://…: libvirt said no";
    assertEquals("InternalError: The cluster could not attach volume " + v + ": the node could not attach nbd://…: "
        + "libvirt said no", cloud.refusal("AttachVolume", cloud.alice, "VolumeId", v, "InstanceId", i, "Device", "/dev/sdb"));
    assertNull(exportOf(v));
    assertTrue(cloud.call("DescribeVolumes", cloud.alice).contains("<status>available</status>"));
    cc.attachRefusal = null;
    cc.down = true;
    assertTrue(cloud.refusal("AttachVolume", cloud.alice, "VolumeId", v, "InstanceId", i, "Device", "/dev/sdb")
        .startsWith("Unavailable: The cluster cluster1 did not answer"));
    assertNull(exportOf(v));
    cc.down = false;
    cloud.call("AttachVolume", cloud.alice, "VolumeId", v, "InstanceId", i, "Device", "/dev/sdb");
    cc.detachRefusal = "the guest holds the disk";
    assertTrue(cloud.refusal("DetachVolume", cloud.alice, "VolumeId", v).startsWith("InternalError: The cluster could "
        + "not detach volume " + v));
    assertTrue(cloud.call("DescribeVolumes", cloud.alice).contains("<status>attached</status>"), "still attached");
    cloud.call("DetachVolume", cloud.alice, "VolumeId", v, "Force", "true");
    assertNull(exportOf(v));
    assertTrue(cloud.call("DescribeVolumes", cloud.alice).contains("<status>available</status>"), "forced");
  }

  @Test
  void terminatingTheInstanceMakesItsVolumesAvailable() throws Exception {
    String i = runningInstance();
    String v = create("1");
    cloud.call("AttachVolume", cloud.alice, "VolumeId", v, "InstanceId", i, "Device", "/dev/sdb");
    cloud.call("TerminateInstances", cloud.alice, "InstanceId.1", i);
    cc.states.remove(i); // the node destroyed the domain
    cloud.now.addAndGet(1000);
    cloud.poller.pollOnce();
    assertTrue(cloud.call("DescribeVolumes", cloud.alice).contains("<status>available</status><createTime>"));
    assertNull(exportOf(v));
    assertEquals(List.of(), cc.logged("DetachVolume"), "no detach of a guest that is gone");
  }

  @Test
  void aUserWhoHoldsVolumesCannotBeDeletedUntilTheyAreGone() throws Exception {
    HeldVolumesCheck check = new HeldVolumesCheck(cloud.volumeStore);
    String id = create("1");
    assertEquals(List.of("holds the volume " + id), check.whatBlocksDeletion("alice"));
    assertEquals(List.of(), check.whatBlocksDeletion("bob"));
    cloud.call("DeleteVolume", cloud.alice, "VolumeId", id);
    assertEquals(List.of(), check.whatBlocksDeletion("alice"));
  }

  @Test
  void withBlockStorageOffEveryVolumeActionSaysSo() throws Exception {
    cloud.ebsOff = "DISABLE_EBS is \"Y\" in eucalyptus.conf";
    cloud.restart();
    String expected = "UnsupportedOperation: Block storage (EBS) is not available on this cloud: DISABLE_EBS is \"Y\" in "
        + "eucalyptus.conf";
    List<String[]> calls = new ArrayList<>();
    calls.add(new String[] {"CreateVolume", "Size", "1", "AvailabilityZone", "cluster1"});
    calls.add(new String[] {"DescribeVolumes"});
    calls.add(new String[] {"DeleteVolume", "VolumeId", "vol-12345678"});
    calls.add(new String[] {"AttachVolume", "VolumeId", "vol-12345678", "InstanceId", "i-12345678", "Device", "/dev/sdb"});
    calls.add(new String[] {"DetachVolume", "VolumeId", "vol-12345678"});
    for (String[] c : calls) {
      String[] params = java.util.Arrays.copyOfRange(c, 1, c.length);
      assertEquals(expected, cloud.refusal(c[0], cloud.alice, params), c[0]);
    }
  }
}
