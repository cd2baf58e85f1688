package com.eucalyptus.clc.compute.volumes;

import com.eucalyptus.clc.compute.Refused;
import com.eucalyptus.clc.cluster.CcStatus;
import com.eucalyptus.clc.cluster.ClusterClient;
import com.eucalyptus.clc.cluster.Clusters;
import com.eucalyptus.clc.compute.instances.InstanceState;
import com.eucalyptus.clc.compute.instances.Instances;
import com.eucalyptus.clc.persistence.ClusterEntity;
import com.eucalyptus.clc.persistence.InstanceEntity;
import com.eucalyptus.clc.persistence.VolumeEntity;
import com.eucalyptus.storage.backend.VolumeBackend;
import com.eucalyptus.storage.controller.StorageController;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The volumes' rules and flows (docs/storage.md, "EC2 actions and properties"): who may do what
 * in which state, the limits, and the order of the steps so that a CLC killed at any point finds
 * at its next start ({@link #recover}) every volume whole, failed or deleted, and its space
 * counted right.
 *
 * <ul>
 *   <li>create: the row (creating) is committed first, then the backend makes the file, then
 *       available (or failed, the partial file removed);
 *   <li>attach: the row goes attaching, the backend exports the volume to the instance's node, the
 *       CC has the node hot-plug it, then attached; any failure unexports it and makes it available
 *       again;
 *   <li>detach: detaching, the CC has the node unplug it, the backend ends the export, available;
 *   <li>an instance that ends (terminated, or found gone) releases its volumes: no CC call, the
 *       node destroyed the domain; the export ends and they are available.
 * </ul>
 */
public final class VolumeManager {
  private static final Logger LOG = LogManager.getLogger(VolumeManager.class);
  static final long GIB = 1L << 30;
  private final Volumes store;
  private final Instances instances;
  private final Clusters clusters;
  private final ClusterClient client;
  /** the storage controller (storage/); null when block storage is off */
  private final StorageController storage;
  /** why block storage is off (DISABLE_EBS, the backend's problem), or null */
  private final Supplier<String> problem;
  private final Supplier<VolumeSettings> settings;
  private final Executor creator;
  private final LongSupplier clock;
  /** attaching/detaching volumes whose CC did not answer at the last start: settled at later rounds */
  private final Set<String> unsettled = ConcurrentHashMap.newKeySet();

  public VolumeManager(Volumes store, Instances instances, Clusters clusters, ClusterClient client,
      StorageController storage, Supplier<String> problem, Supplier<VolumeSettings> settings, Executor creator, LongSupplier clock) {
    this.store = store;
    this.instances = instances;
    this.clusters = clusters;
    this.client = client;
    this.storage = storage;
    this.problem = problem;
    this.settings = settings;
    this.creator = creator;
    this.clock = clock;
  }

  /** Refuses every volume action while block storage is off, saying why. */
  public void checkEnabled() {
    String why = problem.get();
    if (why == null && storage == null) {
      why = "it is turned off";
    }
    if (why != null) {
      throw new Refused("UnsupportedOperation", "Block storage (EBS) is not available on this cloud: " + why);
    }
  }

  // ------------------------------------------------------------------ create, delete, describe

  /** CreateVolume: records the volume (creating) and has the backend make it in the background. */
  public VolumeEntity create(String owner, String sizeText, String zone) {
    checkEnabled();
    long size;
    try {
      size = Long.parseLong(sizeText.trim());
    } catch (NumberFormatException e) {
      throw new Refused("InvalidParameterValue", "Invalid value '" + sizeText + "' for Size: a whole number of GB");
    }
    VolumeSettings limits = settings.get();
    if (size < 1) {
      throw new Refused("InvalidParameterValue", "Invalid value '" + sizeText + "' for Size: a volume is at least 1 GB");
    }
    if (size > limits.maxSizeGb()) {
      throw new Refused("InvalidParameterValue", "Invalid value '" + sizeText + "' for Size: the largest volume is "
          + limits.maxSizeGb() + " GB");
    }
    if (clusters.registered().stream().noneMatch(c -> c.name.equals(zone))) {
      throw new Refused("InvalidParameterValue", "Invalid availability zone: [" + zone + "]");
    }
    VolumeEntity v = store.add(owner, zone, (int) size, limits.totalGb(), clock.getAsLong());
    LOG.info("volume {} of {}: {} GB in {}, creating", v.volumeId, owner, size, zone);
    creator.execute(() -> make(v.volumeId, v.sizeGb));
    return v;
  }

  private void make(String volumeId, int sizeGb) {
    String outcome;
    try {
      storage.createVolume(volumeId, sizeGb * GIB);
      outcome = VolumeState.AVAILABLE.label();
    } catch (IOException | RuntimeException e) {
      LOG.error("creating volume {} failed: {}", volumeId, e.getMessage(), e);
      removePartial(volumeId);
      outcome = VolumeState.FAILED.label();
    }
    String state = outcome;
    store.change(volumeId, v -> {
      if (v.state.equals(VolumeState.CREATING.label())) {
        setState(v, state);
      }
      return null;
    });
    LOG.info("volume {}: {}", volumeId, state);
  }

  private void removePartial(String volumeId) {
    try {
      storage.deleteVolume(volumeId);
    } catch (IOException | RuntimeException e) {
      LOG.warn("removing what is left of volume {}: {}", volumeId, e.getMessage());
    }
  }

  /** DeleteVolume: an available or failed volume goes deleting, the backend removes it, deleted. */
  public void delete(String caller, boolean admin, String volumeId) throws IOException {
    checkEnabled();
    visible(volumeId, caller, admin);
    String refusal = store.change(volumeId, v -> {
      VolumeState s = VolumeState.of(v.state);
      switch (s) {
        case IN_USE:
          return "VolumeInUse:Volume " + volumeId + " is currently attached to " + v.instanceId;
        case CREATING:
        case DELETING:
          return "IncorrectState:Volume '" + volumeId + "' is '" + v.state + "'";
        case DELETED:
          return "InvalidVolume.NotFound:The volume '" + volumeId + "' does not exist.";
        default:
          setState(v, VolumeState.DELETING.label());
          return null;
      }
    });
    if (refusal != null) {
      int colon = refusal.indexOf(':');
      throw new Refused(refusal.substring(0, colon), refusal.substring(colon + 1));
    }
    finishDelete(volumeId);
  }

  private void finishDelete(String volumeId) throws IOException {
    storage.deleteVolume(volumeId); // a failure leaves it deleting: the next start finishes it
    store.change(volumeId, v -> {
      setState(v, VolumeState.DELETED.label());
      return null;
    });
    LOG.info("volume {} deleted", volumeId);
  }

  /**
   * DescribeVolumes: the caller's volumes (every volume for the administrator), or those named,
   * each of which must be one of them.
   */
  public List<VolumeEntity> describe(String caller, boolean admin, List<String> named) {
    checkEnabled();
    List<VolumeEntity> visible = store.all().stream().filter(v -> admin || v.owner.equals(caller)).toList();
    if (named.isEmpty()) {
      return visible;
    }
    Map<String, VolumeEntity> byId = new HashMap<>();
    visible.forEach(v -> byId.put(v.volumeId, v));
    for (String id : named) {
      if (!byId.containsKey(id.trim())) {
        throw notFound(id);
      }
    }
    return visible.stream().filter(v -> named.stream().anyMatch(n -> n.trim().equals(v.volumeId))).toList();
  }

  private VolumeEntity visible(String volumeId, String caller, boolean admin) {
    return store.find(volumeId).filter(v -> admin || v.owner.equals(caller))
        .filter(v -> !v.state.equals(VolumeState.DELETED.label())).orElseThrow(() -> notFound(volumeId));
  }

  private static Refused notFound(String volumeId) {
    return new Refused("InvalidVolume.NotFound", "The volume '" + volumeId + "' does not exist.");
  }

  // ------------------------------------------------------------------ attach, detach

  /** An attachment as AttachVolume and DetachVolume answer it. */
  public record Attachment(String volumeId, String instanceId, String device, long attachMillis) {
  }

  /** AttachVolume (see the class comment); returns the new attachment. */
  public Attachment attach(String caller, boolean admin, String volumeId, String instanceId, String device) {
    checkEnabled();
    visible(volumeId, caller, admin);
    InstanceEntity i = instances.find(instanceId).filter(e -> admin || e.owner.equals(caller))
        .orElseThrow(() -> new Refused("InvalidInstanceID.NotFound", "The instance ID '" + instanceId
            + "' does not exist"));
    if (!device.matches("/dev/(sd|vd|xvd|hd)[b-z][0-9]{0,2}")) {
      throw new Refused("InvalidParameterValue", "Value (" + device + ") for parameter device is invalid. "
          + device + " is not a valid EBS device name (use /dev/sdb to /dev/sdz).");
    }
    long now = clock.getAsLong();
    String refusal = store.changeWithSiblings(volumeId, instanceId, (v, siblings) -> {
      VolumeState s = VolumeState.of(v.state);
      if (s == VolumeState.IN_USE) {
        return "VolumeInUse:" + volumeId + " is already attached to an instance";
      }
      if (s != VolumeState.AVAILABLE) {
        return "IncorrectState:" + volumeId + " is not 'available' (it is '" + v.state + "')";
      }
      if (InstanceState.of(i.state) != InstanceState.RUNNING) {
        return "IncorrectInstanceState:The instance '" + instanceId + "' is not 'running'";
      }
      if (!v.cluster.equals(i.cluster)) {
        return "InvalidVolume.ZoneMismatch:The volume '" + volumeId + "' is not in the same availability zone as instance '"
            + instanceId + "'";
      }
      if (siblings.stream().anyMatch(o -> device.equals(o.device))) {
        return "InvalidParameterValue:Invalid value '" + device + "' for unixDevice. Attachment point " + device
            + " is already in use";
      }
      if (nodeOf(i) == null) {
        return "IncorrectInstanceState:The instance '" + instanceId + "' has no node yet";
      }
      setState(v, VolumeState.IN_USE.label());
      v.instanceId = instanceId;
      v.device = device;
      v.attachState = VolumeState.ATTACHING;
      v.attachMillis = now;
      return null;
    });
    if (refusal != null) {
      int colon = refusal.indexOf(':');
      throw new Refused(refusal.substring(0, colon), refusal.substring(colon + 1));
    }
    LOG.info("attaching volume {} to {} as {}", volumeId, instanceId, device);
    String code = "InternalError";
    int status = 500;
    String why;
    try {
      ClusterEntity c = clusters.registered().stream().filter(e -> e.name.equals(i.cluster)).findFirst().orElseThrow(
          () -> new Unanswered(i.cluster, new IllegalStateException("it is not registered")));
      String remoteDev = storage.exportVolume(volumeId, nodeOf(i));
      store.change(volumeId, v -> v.remoteDev = remoteDev);
      ClusterClient.Answer a;
      try {
        a = client.attachVolume(c.host, c.port, i.owner, volumeId, instanceId, remoteDev, device);
      } catch (Exception e) {
        throw new Unanswered(i.cluster, e);
      }
      if (a.ok()) {
        store.change(volumeId, v -> v.attachState = VolumeState.ATTACHED);
        LOG.info("volume {} attached to {} as {} ({})", volumeId, instanceId, device, remoteDev);
        return new Attachment(volumeId, instanceId, device, now);
      }
      CcStatus st = CcStatus.parse(a.message(), null);
      code = st.code() == null ? code : st.code();
      status = st.code() == null ? status : 400;
      why = "The cluster could not attach volume " + volumeId + ": " + st.message();
    } catch (Unanswered e) {
      code = "Unavailable";
      status = 503;
      why = e.getMessage();
    } catch (IOException | RuntimeException e) {
      LOG.error("exporting volume {} to {}: {}", volumeId, instanceId, e.getMessage(), e);
      why = "The storage controller could not export volume " + volumeId + ": " + e.getMessage();
    }
    release(volumeId);
    LOG.warn("attaching volume {} to {} failed: {}", volumeId, instanceId, why);
    throw new Refused(status, code, why);
  }

  /** DetachVolume (see the class comment); instanceId and device, when given, must name the attachment. */
  public Attachment detach(String caller, boolean admin, String volumeId, String instanceId, String device, boolean force) {
    checkEnabled();
    VolumeEntity seen = visible(volumeId, caller, admin);
    Attachment[] was = new Attachment[1];
    String refusal = store.change(volumeId, v -> {
      if (!v.state.equals(VolumeState.IN_USE.label())) {
        return "IncorrectState:Volume '" + volumeId + "' is in the '" + v.state + "' state.";
      }
      if ((instanceId != null && !instanceId.equals(v.instanceId)) || (device != null && !device.equals(v.device))) {
        return "InvalidAttachment.NotFound:The volume '" + volumeId + "' is not attached to "
            + (instanceId != null ? "instance '" + instanceId + "'" : "device '" + device + "'");
      }
      if (VolumeState.ATTACHING.equals(v.attachState)) {
        return "IncorrectState:Volume '" + volumeId + "' is still attaching";
      }
      v.attachState = VolumeState.DETACHING;
      was[0] = new Attachment(v.volumeId, v.instanceId, v.device, v.attachMillis);
      return null;
    });
    if (refusal != null) {
      int colon = refusal.indexOf(':');
      throw new Refused(refusal.substring(0, colon), refusal.substring(colon + 1));
    }
    Attachment a = was[0];
    Optional<InstanceEntity> i = instances.find(a.instanceId());
    if (i.isPresent() && InstanceState.of(i.get().state) != InstanceState.TERMINATED) {
      String why = null;
      String code = null;
      int status = 400;
      try {
        ClusterEntity c = cluster(i.get().cluster);
        ClusterClient.Answer answer = client.detachVolume(c.host, c.port, i.get().owner, volumeId, a.instanceId(),
            seen.remoteDev, a.device(), force);
        if (!answer.ok()) {
          CcStatus st = CcStatus.parse(answer.message(), null);
          code = st.code() == null ? "InternalError" : st.code();
          status = st.code() == null ? 500 : 400;
          why = "The cluster could not detach volume " + volumeId + ": " + st.message();
        }
      } catch (Exception e) {
        code = "Unavailable";
        status = 503;
        why = "The cluster " + i.get().cluster + " did not answer: " + e.getMessage();
      }
      if (why != null && !force) {
        store.change(volumeId, v -> v.attachState = VolumeState.ATTACHED);
        LOG.warn("detaching volume {} from {} failed: {}", volumeId, a.instanceId(), why);
        throw new Refused(status, code, why);
      }
      if (why != null) {
        LOG.warn("detaching volume {} from {} by force, although: {}", volumeId, a.instanceId(), why);
      }
    }
    release(volumeId);
    LOG.info("volume {} detached from {}", volumeId, a.instanceId());
    return a;
  }

  /** Ends the volume's export and makes it available, its attachment gone. */
  private void release(String volumeId) {
    try {
      storage.unexportVolume(volumeId);
    } catch (IOException | RuntimeException e) {
      LOG.error("ending the export of volume {}: {}", volumeId, e.getMessage(), e);
    }
    store.change(volumeId, v -> {
      if (v.state.equals(VolumeState.IN_USE.label())) {
        setState(v, VolumeState.AVAILABLE.label());
      }
      v.instanceId = null;
      v.device = null;
      v.attachState = null;
      v.attachMillis = 0;
      v.remoteDev = null;
      return null;
    });
  }

  /** The instances ended: their volumes are released (the poller's onEnded). */
  public void instancesEnded(List<String> instanceIds) {
    if (!serving()) {
      return;
    }
    for (String id : instanceIds) {
      for (VolumeEntity v : store.attachedTo(id)) {
        if (!VolumeState.ATTACHING.equals(v.attachState)) { // an attach in flight releases it itself
          LOG.info("instance {} ended: volume {} is available again", id, v.volumeId);
          release(v.volumeId);
        }
      }
    }
  }

  // ------------------------------------------------------------------ recovery

  /**
   * At start, before any request: settles every volume a killed CLC left half-way. creating:
   * available when the backend holds it whole, else failed and its partial file removed; deleting:
   * deleted; attaching/detaching: as the CC reports the instance's volumes (not reported: the
   * export ends and it is available; reported: attached, exported); volumes of instances that
   * ended meanwhile are released.
   */
  public void recover() throws IOException {
    if (!serving()) {
      LOG.info("block storage is not available ({}): volumes are settled when it is", problem.get());
      return;
    }
    Map<String, Long> whole = new HashMap<>();
    for (VolumeBackend.StoredVolume s : storage.listVolumes()) {
      whole.put(s.volumeId(), s.sizeBytes());
    }
    for (VolumeEntity v : store.all()) {
      try {
        recover(v, whole);
      } catch (IOException | RuntimeException e) {
        LOG.error("settling volume {} ({}) at start: {}", v.volumeId, v.state, e.getMessage(), e);
      }
    }
  }

  private void recover(VolumeEntity v, Map<String, Long> whole) throws IOException {
    switch (VolumeState.of(v.state)) {
      case CREATING -> {
        Long bytes = whole.get(v.volumeId);
        boolean done = bytes != null && bytes == v.sizeGb * GIB;
        if (!done) {
          removePartial(v.volumeId);
        }
        String state = (done ? VolumeState.AVAILABLE : VolumeState.FAILED).label();
        store.change(v.volumeId, live -> {
          setState(live, state);
          return null;
        });
        LOG.info("volume {} was creating when the CLC stopped: {}", v.volumeId, state);
      }
      case DELETING -> finishDelete(v.volumeId);
      case IN_USE -> settle(v, true);
      default -> {
      }
    }
  }

  /**
   * Each cluster poll round: volumes attached to instances that ended unseen are released, and
   * attachments the CC could not be asked about at start are settled now.
   */
  public void settleRound() {
    if (!serving()) {
      return;
    }
    for (VolumeEntity v : store.all()) {
      if (!v.state.equals(VolumeState.IN_USE.label())) {
        continue;
      }
      if (unsettled.contains(v.volumeId) || VolumeState.ATTACHED.equals(v.attachState)) {
        try {
          settle(v, unsettled.contains(v.volumeId)); // attached ones: only whether their instance is gone
        } catch (RuntimeException e) {
          LOG.warn("settling volume {}: {}", v.volumeId, e.getMessage());
        }
      }
    }
  }

  /**
   * Releases the volume when its instance is gone; with {@code check}, also makes sure an attached
   * volume is exported, and settles an attaching or detaching one as the CC reports the guest.
   */
  private void settle(VolumeEntity v, boolean check) {
    Optional<InstanceEntity> i = instances.find(v.instanceId);
    if (i.isEmpty() || InstanceState.of(i.get().state) == InstanceState.TERMINATED) {
      LOG.info("volume {}: its instance {} is gone, it is available again", v.volumeId, v.instanceId);
      unsettled.remove(v.volumeId);
      release(v.volumeId);
      return;
    }
    if (!check) {
      return;
    }
    if (!VolumeState.ATTACHED.equals(v.attachState)) {
      ClusterEntity c = clusters.registered().stream().filter(e -> e.name.equals(i.get().cluster)).findFirst()
          .orElse(null);
      List<ClusterClient.ReportedInstance> reported;
      try {
        if (c == null) {
          throw new IllegalStateException("the cluster " + i.get().cluster + " is not registered");
        }
        reported = client.describeInstances(c.host, c.port, List.of(v.instanceId));
      } catch (Exception e) {
        LOG.warn("volume {} was {} when the CLC stopped; its cluster does not answer ({}): settled later", v.volumeId,
            v.attachState, e.toString());
        unsettled.add(v.volumeId);
        return;
      }
      unsettled.remove(v.volumeId);
      String onGuest = reported.stream().filter(r -> v.instanceId.equals(r.instanceId()))
          .flatMap(r -> r.volumes().stream()).filter(rv -> v.volumeId.equals(rv.volumeId()))
          .map(rv -> rv.state() == null ? VolumeState.ATTACHED : rv.state().toLowerCase(Locale.ROOT))
          .filter(st -> !st.equals(VolumeState.DETACHED) && !st.equals("failed")).findFirst().orElse(null);
      if (VolumeState.ATTACHING.equals(onGuest) || VolumeState.DETACHING.equals(onGuest)) {
        LOG.info("volume {}: the node is still {} it; asked again at the next round", v.volumeId, onGuest);
        unsettled.add(v.volumeId);
        return;
      }
      if (onGuest == null) {
        LOG.info("volume {} was {} {} when the CLC stopped; the guest does not have it: available", v.volumeId,
            v.attachState, v.instanceId);
        release(v.volumeId);
        return;
      }
      LOG.info("volume {} was {} {} when the CLC stopped; the guest has it: attached", v.volumeId, v.attachState,
          v.instanceId);
    }
    String remoteDev;
    try {
      remoteDev = storage.exportOf(v.volumeId);
      if (remoteDev == null) {
        remoteDev = storage.exportVolume(v.volumeId, nodeOf(i.get()));
        LOG.warn("volume {} is on {} but was not exported: exported again as {}", v.volumeId, v.instanceId, remoteDev);
      }
    } catch (IOException | RuntimeException e) {
      LOG.error("volume {} is on {} and cannot be exported: {}", v.volumeId, v.instanceId, e.getMessage());
      return;
    }
    String dev = remoteDev;
    store.change(v.volumeId, live -> {
      live.attachState = VolumeState.ATTACHED;
      live.remoteDev = dev;
      return null;
    });
  }

  // ------------------------------------------------------------------ helpers

  /** Whether the storage controller can act (block storage on, and no problem on this host). */
  private boolean serving() {
    return storage != null && problem.get() == null;
  }

  /** The host of the instance's node: its serviceTag is the NC's URL. */
  static String nodeOf(InstanceEntity i) {
    if (i.serviceTag == null || i.serviceTag.isBlank()) {
      return null;
    }
    try {
      return URI.create(i.serviceTag.trim()).getHost();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private ClusterEntity cluster(String name) {
    return clusters.registered().stream().filter(c -> c.name.equals(name)).findFirst()
        .orElseThrow(() -> new IllegalStateException("the cluster " + name + " is not registered"));
  }

  private void setState(VolumeEntity v, String state) {
    v.state = state;
    v.stateMillis = clock.getAsLong();
  }

  /** A CC that did not answer at all. */
  private static final class Unanswered extends RuntimeException {
    Unanswered(String cluster, Exception cause) {
      super("The cluster " + cluster + " did not answer: " + cause.getMessage(), cause);
    }
  }
}
