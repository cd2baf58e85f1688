package com.eucalyptus.clc.api.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.clc.cluster.ClusterClient;
import com.eucalyptus.clc.compute.volumes.VolumeState;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A CLC stopped at any step of a volume's flow (kill -9: the database holds what was committed,
 * the storage host what was written) and started again over the same database and volumes
 * folder: every volume ends whole, failed or deleted, attachments as the CC reports the guest,
 * and the space counted right. The kill is the end of the test's first CLC at a chosen point:
 * a creation held back in the executor, or a row put back to the state it had mid-step.
 */
class VolumeRecoveryTest extends VolumeCloudFixture {
  /** creations the first CLC began and never finished */
  final List<Runnable> heldBack = new ArrayList<>();

  String state(String volumeId) {
    return cloud.volumeStore.find(volumeId).orElseThrow().state;
  }

  String attachState(String volumeId) {
    return cloud.volumeStore.find(volumeId).orElseThrow().attachState;
  }

  void restartWithCreationsRunning() {
    cloud.volumeMaker = Runnable::run;
    cloud.restart();
  }

  @Test
  void aVolumeKilledMidCreationWithAPartialFileIsFailedAndItsFileRemoved() throws Exception {
    cloud.volumeMaker = heldBack::add;
    String id = create("2");
    Files.createDirectories(disk().partial(id).getParent());
    try (RandomAccessFile f = new RandomAccessFile(disk().partial(id).toFile(), "rw")) {
      f.setLength(GIB); // half-written when the CLC died
    }
    assertEquals(2, cloud.volumeStore.usedGb(), "counted while creating");
    restartWithCreationsRunning();
    assertEquals(VolumeState.FAILED.label(), state(id));
    assertFalse(Files.exists(disk().partial(id)));
    assertEquals(0, cloud.volumeStore.usedGb());
    assertTrue(cloud.call("DescribeVolumes", cloud.alice).contains("<status>failed</status>"));
  }

  @Test
  void aVolumeKilledBeforeItsRecordSaidAvailableButWholeIsAvailable() throws Exception {
    cloud.volumeMaker = heldBack::add;
    String id = create("1");
    String never = create("1");
    cloud.storage.createVolume(id, GIB); // the file was made; the CLC died before recording it
    restartWithCreationsRunning();
    assertEquals(VolumeState.AVAILABLE.label(), state(id));
    assertEquals(VolumeState.FAILED.label(), state(never), "no file at all: failed");
    assertEquals(1, cloud.volumeStore.usedGb());
  }

  @Test
  void aVolumeKilledMidDeleteIsDeleted() throws Exception {
    String id = create("1");
    cloud.volumeStore.change(id, v -> v.state = VolumeState.DELETING.label());
    cloud.restart();
    assertEquals(VolumeState.DELETED.label(), state(id));
    assertFalse(Files.exists(disk().file(id)));
    assertEquals(0, cloud.volumeStore.usedGb());
  }

  String attached() throws Exception {
    String i = cloud.run(cloud.alice);
    cloud.running(i);
    String v = create("1");
    cloud.call("AttachVolume", cloud.alice, "VolumeId", v, "InstanceId", i, "Device", "/dev/sdb");
    return v;
  }

  @Test
  void anAttachTheGuestGotIsAttachedAfterTheRestart() throws Exception {
    String v = attached();
    String remote = exportOf(v);
    cloud.volumeStore.change(v, e -> e.attachState = VolumeState.ATTACHING); // died before recording "attached"
    cloud.restart();
    assertEquals(VolumeState.ATTACHED, attachState(v));
    assertEquals(remote, exportOf(v), "the same export, still running");
    assertEquals(1, cloud.volumeStore.usedGb());
  }

  @Test
  void anAttachTheGuestNeverGotIsUndone() throws Exception {
    String v = attached();
    cc.volumes.clear(); // died after exporting, before the CC attached it
    cloud.volumeStore.change(v, e -> e.attachState = VolumeState.ATTACHING);
    cloud.restart();
    assertEquals(VolumeState.AVAILABLE.label(), state(v));
    assertNull(attachState(v));
    assertNull(exportOf(v), "the export ended");
  }

  @Test
  void aDetachTheGuestCompletedEndsAvailable() throws Exception {
    String v = attached();
    cc.volumes.clear(); // the node unplugged it; the CLC died before ending the export
    cloud.volumeStore.change(v, e -> e.attachState = VolumeState.DETACHING);
    cloud.restart();
    assertEquals(VolumeState.AVAILABLE.label(), state(v));
    assertNull(exportOf(v));
  }

  @Test
  void aClusterSilentAtStartIsAskedAgainAtTheNextRound() throws Exception {
    String v = attached();
    cloud.volumeStore.change(v, e -> e.attachState = VolumeState.ATTACHING);
    cc.down = true;
    cloud.restart();
    assertEquals(VolumeState.ATTACHING, attachState(v), "unknown yet: left as it was");
    cc.down = false;
    cloud.volumes.settleRound();
    assertEquals(VolumeState.ATTACHED, attachState(v));
    assertNotNull(exportOf(v));
  }

  @Test
  void aHotPlugStillUnderWayOnTheNodeIsAskedAboutAgain() throws Exception {
    String v = attached();
    String i = cloud.volumeStore.find(v).orElseThrow().instanceId;
    ClusterClient.ReportedVolume rv = cc.volumes.get(i).get(0);
    cc.volumes.put(i, new ArrayList<>(List.of(new ClusterClient.ReportedVolume(v, rv.remoteDev(), rv.localDev(),
        "attaching"))));
    cloud.volumeStore.change(v, e -> e.attachState = VolumeState.ATTACHING);
    cloud.restart();
    assertEquals(VolumeState.ATTACHING, attachState(v), "the node has not finished");
    cc.volumes.put(i, new ArrayList<>(List.of(rv)));
    cloud.volumes.settleRound();
    assertEquals(VolumeState.ATTACHED, attachState(v));
  }

  @Test
  void theVolumesOfAnInstanceThatEndedWhileTheClcWasDownComeBack() throws Exception {
    String v = attached();
    String i = cloud.volumeStore.find(v).orElseThrow().instanceId;
    cloud.instances.update(i, e -> e.state = "terminated"); // as the poller found it at the restart
    cloud.restart();
    assertEquals(VolumeState.AVAILABLE.label(), state(v));
    assertNull(exportOf(v));
  }
}
