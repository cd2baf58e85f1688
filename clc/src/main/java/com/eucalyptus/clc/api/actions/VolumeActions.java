package com.eucalyptus.clc.api.actions;

import com.eucalyptus.clc.accounts.Accounts;
import com.eucalyptus.clc.api.Ec2Action;
import com.eucalyptus.clc.api.Ec2Exception;
import com.eucalyptus.clc.api.QueryRequest;
import com.eucalyptus.clc.api.Xml;
import com.eucalyptus.clc.compute.Refused;
import com.eucalyptus.clc.compute.volumes.VolumeManager;
import com.eucalyptus.clc.compute.volumes.VolumeState;
import com.eucalyptus.clc.persistence.VolumeEntity;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The EBS volume actions of EC2's 2008-12-01/2009-04-04 API: CreateVolume, DeleteVolume,
 * DescribeVolumes, AttachVolume, DetachVolume (the rules are {@link VolumeManager}'s). Users see
 * their own volumes, the administrator every volume. Answers are EC2's shapes; clients of
 * 2009-10-31 and later also get an attachment's deleteOnTermination (always false: volumes
 * outlive their instances here). Volumes from snapshots come with snapshots (issue 14): until
 * then SnapshotId is refused.
 */
public final class VolumeActions {
  /** the first API version whose attachments carry deleteOnTermination */
  private static final String DELETE_ON_TERMINATION_SINCE = "2009-10-31";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);
  private final VolumeManager volumes;

  public VolumeActions(VolumeManager volumes) {
    this.volumes = volumes;
  }

  public List<Ec2Action> all() {
    return List.of(
        new SimpleAction("CreateVolume", false, this::create),
        new SimpleAction("DeleteVolume", false, this::delete),
        new SimpleAction("DescribeVolumes", false, this::describe),
        new SimpleAction("AttachVolume", false, this::attach),
        new SimpleAction("DetachVolume", false, this::detach));
  }

  private void create(QueryRequest r, Accounts.User caller, Xml out) {
    guarded(() -> {
      volumes.checkEnabled();
      return null;
    });
    String snapshot = blankToNull(r.param("SnapshotId"));
    if (snapshot != null) {
      throw new Ec2Exception(400, "UnsupportedOperation", "Volumes from snapshots (" + snapshot
          + ") are not supported yet: give Size instead");
    }
    String size = blankToNull(r.param("Size"));
    if (size == null) {
      throw Ec2Exception.missingParameter("Size");
    }
    String zone = blankToNull(r.param("AvailabilityZone"));
    if (zone == null) {
      throw Ec2Exception.missingParameter("AvailabilityZone");
    }
    VolumeEntity v = guarded(() -> volumes.create(caller.name(), size, zone));
    out.leaf("volumeId", v.volumeId).leaf("size", v.sizeGb).leaf("snapshotId", "")
        .leaf("availabilityZone", v.cluster).leaf("status", VolumeState.CREATING.label())
        .leaf("createTime", time(v.createMillis));
  }

  private void delete(QueryRequest r, Accounts.User caller, Xml out) {
    String id = r.required("VolumeId").trim();
    guarded(() -> {
      volumes.delete(caller.name(), caller.admin(), id);
      return null;
    });
    out.leaf("return", true);
  }

  private void describe(QueryRequest r, Accounts.User caller, Xml out) {
    List<String> named = CloudActions.indexed(r.params(), "VolumeId");
    List<VolumeEntity> list = guarded(() -> volumes.describe(caller.name(), caller.admin(), named));
    boolean deleteOnTermination = newer(r);
    out.open("volumeSet");
    for (VolumeEntity v : list) {
      out.open("item").leaf("volumeId", v.volumeId).leaf("size", v.sizeGb)
          .leaf("snapshotId", v.snapshotId == null ? "" : v.snapshotId).leaf("availabilityZone", v.cluster)
          .leaf("status", v.state).leaf("createTime", time(v.createMillis)).open("attachmentSet");
      if (v.instanceId != null) {
        out.open("item").leaf("volumeId", v.volumeId).leaf("instanceId", v.instanceId).leaf("device", v.device)
            .leaf("status", v.attachState).leaf("attachTime", time(v.attachMillis));
        if (deleteOnTermination) {
          out.leaf("deleteOnTermination", false);
        }
        out.close("item");
      }
      out.close("attachmentSet").close("item");
    }
    out.close("volumeSet");
  }

  private void attach(QueryRequest r, Accounts.User caller, Xml out) {
    String volumeId = r.required("VolumeId").trim();
    String instanceId = r.required("InstanceId").trim();
    String device = r.required("Device").trim();
    VolumeManager.Attachment a = guarded(() -> volumes.attach(caller.name(), caller.admin(), volumeId, instanceId,
        device));
    attachment(out, a, VolumeState.ATTACHING);
  }

  private void detach(QueryRequest r, Accounts.User caller, Xml out) {
    String volumeId = r.required("VolumeId").trim();
    String instanceId = blankToNull(r.param("InstanceId"));
    String device = blankToNull(r.param("Device"));
    String force = blankToNull(r.param("Force"));
    if (force != null && !force.equalsIgnoreCase("true") && !force.equalsIgnoreCase("false")) {
      throw Ec2Exception.invalidParameter("Force must be true or false");
    }
    VolumeManager.Attachment a = guarded(() -> volumes.detach(caller.name(), caller.admin(), volumeId, instanceId, device,
        "true".equalsIgnoreCase(force)));
    attachment(out, a, VolumeState.DETACHING);
  }

  private static void attachment(Xml out, VolumeManager.Attachment a, String status) {
    out.leaf("volumeId", a.volumeId()).leaf("instanceId", a.instanceId()).leaf("device", a.device())
        .leaf("status", status).leaf("attachTime", time(a.attachMillis()));
  }

  private static String time(long millis) {
    return TIME.format(Instant.ofEpochMilli(millis));
  }

  private static boolean newer(QueryRequest r) {
    String v = r.param("Version");
    return v != null && v.compareTo(DELETE_ON_TERMINATION_SINCE) >= 0;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  @FunctionalInterface
  private interface Work<T> {
    T get() throws Exception;
  }

  private static <T> T guarded(Work<T> work) {
    try {
      return work.get();
    } catch (Refused e) {
      throw new Ec2Exception(e.status(), e.code(), e.getMessage());
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
