package com.eucalyptus.nc.instances;

import com.eucalyptus.nc.hypervisor.GuestDefinition;
import com.eucalyptus.nc.hypervisor.Hypervisor;
import com.eucalyptus.nc.hypervisor.HypervisorException;
import com.eucalyptus.nc.resources.NodeResources;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * This node's instances: runs them (in the background: ncRunInstance answers Pending at once),
 * describes, reboots and terminates them and reads their consoles. States are checked against the
 * hypervisor whenever they are described, so a guest destroyed behind the NC's back shows as
 * Teardown on the next describe. Ended instances stay listed (Teardown) for
 * {@link InstanceSettings#teardownRetention()}, so the CC sees how they ended.
 */
public final class InstanceManager implements NodeResources.InstanceUsage {
  private static final Logger LOG = LogManager.getLogger(InstanceManager.class);
  /** Instance and user ids become folder and domain names: plain names only. */
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  /** The cache's folder under INSTANCE_PATH (1.5.2's INSTANCE_PATH/eucalyptus/cache). */
  public static final String CACHE_OWNER_DIR = "eucalyptus";
  private final Hypervisor hypervisor;
  private final InstanceLauncher launcher;
  private final InstanceSettings settings;
  private final ExecutorService launches;
  private final Map<String, Instance> instances = new LinkedHashMap<>();

  public InstanceManager(Hypervisor hypervisor, InstanceLauncher launcher, InstanceSettings settings, ExecutorService launches) {
    this.hypervisor = hypervisor;
    this.launcher = launcher;
    this.settings = settings;
    this.launches = launches;
  }

  public static InstanceManager create(Hypervisor hypervisor, com.eucalyptus.nc.images.ImageCache cache,
      com.eucalyptus.nc.disks.InstanceDiskBuilder disks, InstanceSettings settings, ExecutorService launches) {
    return new InstanceManager(hypervisor, new InstanceLauncher(hypervisor, cache, disks, settings), settings, launches);
  }

  /**
   * After a (re)start: the guests this NC started that still run are taken back as Extant; the
   * folders of instances whose guest is gone are removed (unless MANUAL_INSTANCES_CLEANUP).
   */
  public synchronized void adopt() throws HypervisorException, IOException {
    Files.createDirectories(settings.instancePath());
    Set<String> running = hypervisor.ownedGuests(settings.owner());
    try (DirectoryStream<Path> users = Files.newDirectoryStream(settings.instancePath(), Files::isDirectory)) {
      for (Path user : users) {
        if (user.getFileName().toString().equals(CACHE_OWNER_DIR)) {
          continue;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(user, Files::isDirectory)) {
          for (Path dir : dirs) {
            adoptOne(dir, running);
          }
        }
      }
    }
    for (String name : running) {
      if (!instances.containsKey(name)) {
        LOG.warn("domain {} carries this NC's mark but its folder is gone; left alone (virsh destroy {} to end it)", name, name);
      }
    }
  }

  private void adoptOne(Path dir, Set<String> running) throws IOException, HypervisorException {
    String id = dir.getFileName().toString();
    if (running.contains(id) && Files.exists(dir.resolve(InstanceRecordFile.NAME))) {
      InstanceRecordFile.Stored s = InstanceRecordFile.read(dir);
      Instance i = new Instance(s.request(), dir, s.launchTime(), InstanceState.EXTANT);
      instances.put(id, i);
      LOG.info("adopted running instance {} (launched {})", id, s.launchTime());
      adoptVolumes(i, s.volumes());
    } else if (!settings.manualCleanup()) {
      LOG.info("removing {}: its guest no longer runs", dir);
      deleteTree(dir);
    }
  }

  /**
   * The recorded volumes the guest still has are attached (an attach or detach cut short by the
   * NC's end is settled by what the guest has); the others are gone.
   */
  private void adoptVolumes(Instance i, List<VolumeAttachment> recorded) throws IOException, HypervisorException {
    if (recorded.isEmpty()) {
      return;
    }
    List<Hypervisor.AttachedDisk> disks = hypervisor.disks(i.id());
    for (VolumeAttachment v : recorded) {
      boolean present = disks.stream().anyMatch(d -> v.target().equals(d.target()) && v.volumeId().equals(d.serial()));
      if (present) {
        i.putVolume(v.in(VolumeAttachment.ATTACHED));
        LOG.info("instance {}: volume {} still attached as {}", i.id(), v.volumeId(), v.target());
      } else {
        LOG.info("instance {}: volume {} ({} when the NC stopped) is no longer in the guest", i.id(), v.volumeId(), v.state());
      }
    }
    save(i);
  }

  /**
   * Rewrites the instance's record (launch request, volumes); nothing when its folder is gone.
   * Under the instance's lock: two writers would share the record's temporary file.
   */
  void save(Instance i) throws IOException {
    synchronized (i) {
      if (Files.isDirectory(i.dir())) {
        InstanceRecordFile.write(i.dir(), i.request(), i.launchTime(), i.volumes());
      }
    }
  }

  Hypervisor hypervisor() {
    return hypervisor;
  }

  InstanceSettings settings() {
    return settings;
  }

  /** Every instance known now. */
  synchronized List<Instance> all() {
    return new ArrayList<>(instances.values());
  }

  /** Accepts an instance (Pending) and starts building it in the background. */
  public Instance run(LaunchRequest r) throws IOException, HypervisorException {
    for (String[] v : new String[][] {{"instanceId", r.instanceId()}, {"userId", r.userId()}, {"imageId", r.imageId()},
        {"kernelId", r.kernelId()}}) {
      if (v[1] == null || !SAFE_NAME.matcher(v[1]).matches()) {
        throw new IllegalArgumentException(v[0] + " \"" + v[1] + "\" is missing or not a plain name");
      }
    }
    if (r.imageUrl() == null || r.kernelUrl() == null) {
      throw new IllegalArgumentException("imageURL and kernelURL are required");
    }
    if (r.memoryMb() <= 0 || r.cores() <= 0 || r.diskGb() <= 0) {
      throw new IllegalArgumentException("instanceType needs memory, cores and disk above 0 (got " + r.memoryMb() + " MB, "
          + r.cores() + " cores, " + r.diskGb() + " GB)");
    }
    Instance instance;
    synchronized (this) {
      Instance existing = instances.get(r.instanceId());
      if (existing != null && existing.state() != InstanceState.TEARDOWN) {
        throw new IllegalArgumentException("instance " + r.instanceId() + " already exists on this node (" + existing.state().stateName() + ")");
      }
      if (hypervisor.nameTaken(r.instanceId())) {
        throw new IllegalArgumentException("a domain named " + r.instanceId() + " already runs on this node");
      }
      Path dir = settings.instancePath().resolve(r.userId()).resolve(r.instanceId());
      deleteTree(dir);
      Files.createDirectories(dir);
      // the QEMU process (user libvirt-qemu) must reach the files libvirt hands it
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(dir.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
      instance = new Instance(r, dir, Instant.now(), InstanceState.PENDING);
      InstanceRecordFile.write(dir, r, instance.launchTime());
      instances.put(r.instanceId(), instance);
    }
    LOG.info("instance {} accepted (image {}, kernel {}, ramdisk {}, {} MB, {} cores, {} GB)", r.instanceId(), r.imageId(), r.kernelId(),
        r.ramdiskId(), r.memoryMb(), r.cores(), r.diskGb());
    launches.execute(() -> launch(instance));
    return instance;
  }

  private void launch(Instance instance) {
    try {
      GuestDefinition g = launcher.prepare(instance);
      if (instance.terminateRequested()) {
        LOG.info("instance {} was terminated while being prepared: not started", instance.id());
        cleanUp(instance);
        return;
      }
      // not under the instance's lock: starting may take a while, and describe must not wait
      launcher.start(g);
      synchronized (instance) {
        if (!instance.terminateRequested()) {
          instance.toExtant();
          LOG.info("instance {} is running", instance.id());
          return;
        }
      }
      LOG.info("instance {} was terminated while starting: destroying it", instance.id());
      hypervisor.destroy(instance.id());
      cleanUp(instance);
    } catch (IOException | HypervisorException | RuntimeException e) {
      LOG.error("instance {} failed to start: {}", instance.id(), e.getMessage());
      instance.toTeardown(e.getMessage());
      cleanUp(instance);
    }
  }

  /** The instances asked for (all when {@code ids} is empty), their states checked first. */
  public List<Instance> describe(Collection<String> ids) {
    List<Instance> all;
    synchronized (this) {
      forgetOldTeardowns();
      all = new ArrayList<>(instances.values());
    }
    List<Instance> out = new ArrayList<>();
    for (Instance i : all) {
      if (ids.isEmpty() || ids.contains(i.id())) {
        refresh(i);
        out.add(i);
      }
    }
    return out;
  }

  /** An Extant instance whose guest is no longer running becomes Teardown. */
  private void refresh(Instance i) {
    if (i.state() != InstanceState.EXTANT) {
      return;
    }
    Hypervisor.GuestState s;
    try {
      s = hypervisor.state(i.id(), settings.owner());
    } catch (HypervisorException e) {
      LOG.warn("cannot ask the hypervisor about {}: {}; keeping its last state", i.id(), e.getMessage());
      return;
    }
    if (s != Hypervisor.GuestState.RUNNING) {
      LOG.warn("instance {}'s guest is {} (ended outside the NC): Teardown", i.id(), s);
      i.toTeardown("the guest ended (" + s + ")");
      try {
        hypervisor.destroy(i.id());
      } catch (HypervisorException e) {
        LOG.warn("could not remove the ended domain {}: {}", i.id(), e.getMessage());
      }
      cleanUp(i);
      return;
    }
    forgetReleasedVolumes(i);
  }

  /**
   * An attached volume whose disk the guest no longer has (a detach the guest acknowledged after
   * the NC stopped waiting) is no longer reported. Attaches and detaches under way are left alone.
   */
  private void forgetReleasedVolumes(Instance i) {
    List<VolumeAttachment> attached = i.volumes().stream().filter(v -> VolumeAttachment.ATTACHED.equals(v.state())).toList();
    if (attached.isEmpty()) {
      return;
    }
    try {
      List<Hypervisor.AttachedDisk> disks = hypervisor.disks(i.id());
      boolean changed = false;
      for (VolumeAttachment v : attached) {
        if (disks.stream().noneMatch(d -> v.target().equals(d.target()) && v.volumeId().equals(d.serial()))) {
          LOG.info("instance {}: the guest released volume {} ({}): no longer attached", i.id(), v.volumeId(), v.target());
          i.removeVolume(v.volumeId());
          changed = true;
        }
      }
      if (changed) {
        save(i);
      }
    } catch (HypervisorException | IOException e) {
      LOG.warn("cannot check the volumes of {}: {}; keeping what is recorded", i.id(), e.getMessage());
    }
  }

  private void forgetOldTeardowns() {
    Instant limit = Instant.now().minus(settings.teardownRetention());
    instances.values().removeIf(i -> i.state() == InstanceState.TEARDOWN && i.teardownSince() != null
        && i.teardownSince().isBefore(limit));
  }

  /** Result of a terminate: the state before and after. */
  public record Termination(String instanceId, InstanceState previous, InstanceState now) {
  }

  public Termination terminate(String id) throws HypervisorException {
    Instance i = find(id);
    InstanceState previous;
    synchronized (i) {
      previous = i.state();
      i.requestTerminate();
      if (previous == InstanceState.EXTANT) {
        hypervisor.destroy(id);
      }
      i.toTeardown(null);
    }
    if (previous == InstanceState.EXTANT) {
      cleanUp(i);
    }
    LOG.info("instance {} terminated (was {})", id, previous.stateName());
    return new Termination(id, previous, InstanceState.TEARDOWN);
  }

  public void reboot(String id) throws HypervisorException {
    Instance i = find(id);
    if (i.state() != InstanceState.EXTANT) {
      throw new IllegalStateException("instance " + id + " is " + i.state().stateName() + ", not running: cannot reboot");
    }
    hypervisor.reboot(id);
    LOG.info("instance {} rebooted", id);
  }

  public ConsoleOutput console(String id) throws IOException {
    return ConsoleOutput.read(find(id).consoleLog());
  }

  synchronized Instance find(String id) {
    Instance i = instances.get(id);
    if (i == null) {
      throw new IllegalArgumentException("no instance " + id + " on this node");
    }
    return i;
  }

  /** Resources held by instances that are not Teardown. */
  @Override
  public synchronized NodeResources.Snapshot used() {
    long mem = 0;
    long disk = 0;
    int cores = 0;
    for (Instance i : instances.values()) {
      if (i.holdsResources()) {
        mem += i.request().memoryMb();
        disk += i.request().diskGb();
        cores += i.request().cores();
      }
    }
    return new NodeResources.Snapshot(mem, 0, disk, 0, cores, 0, "");
  }

  private void cleanUp(Instance i) {
    if (settings.manualCleanup()) {
      LOG.info("MANUAL_INSTANCES_CLEANUP: leaving {}", i.dir());
      return;
    }
    try {
      deleteTree(i.dir());
    } catch (IOException e) {
      LOG.warn("could not remove {}: {}", i.dir(), e.getMessage());
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }
}
