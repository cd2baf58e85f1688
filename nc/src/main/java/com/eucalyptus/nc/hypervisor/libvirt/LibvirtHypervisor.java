package com.eucalyptus.nc.hypervisor.libvirt;

import com.eucalyptus.nc.hypervisor.GuestDefinition;
import com.eucalyptus.nc.hypervisor.Hypervisor;
import com.eucalyptus.nc.hypervisor.HypervisorException;
import com.eucalyptus.nc.hypervisor.NetworkDisk;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.Error;
import org.libvirt.LibvirtException;
import org.libvirt.NodeInfo;

/**
 * {@link Hypervisor} through libvirt (libvirt-java over JNA). One connection, shared by the NC's
 * threads (libvirt connections are thread-safe, so a slow domain start does not hold up a
 * describe); if a call fails because the connection broke (libvirtd restarted), it is opened
 * again once and the call retried. Guests are transient domains named by instance id, marked with
 * {@link DomainXml#METADATA_NS} metadata holding the owning NC's mark.
 */
public final class LibvirtHypervisor implements Hypervisor {
  private static final Logger LOG = LogManager.getLogger(LibvirtHypervisor.class);
  private static final Pattern OWNER = Pattern.compile("owner=['\"]([^'\"]*)['\"]");
  private final String uri;
  /** Calls share the connection (read lock); replacing it takes the write lock. */
  private final ReentrantReadWriteLock connectionLock = new ReentrantReadWriteLock();
  private volatile Connect connection;

  private LibvirtHypervisor(String uri, Connect connection) {
    this.uri = uri;
    this.connection = connection;
  }

  /** Opens {@code uri} (e.g. qemu:///system); fails with the guide's "Failed to connect to hypervisor". */
  public static LibvirtHypervisor connect(String uri) throws HypervisorException {
    return new LibvirtHypervisor(uri, open(uri));
  }

  private static Connect open(String uri) throws HypervisorException {
    try {
      return new Connect(uri, false);
    } catch (LibvirtException | UnsatisfiedLinkError | NoClassDefFoundError e) {
      throw new HypervisorException("Failed to connect to hypervisor at " + uri + ": " + e.getMessage(), e);
    }
  }

  public String uri() {
    return uri;
  }

  /** One libvirt call on the connection. */
  private interface Call<T> {
    T on(Connect c) throws LibvirtException;
  }

  /** Runs {@code call}; when it fails because the connection died, reconnects and tries once more. */
  private <T> T call(String what, Call<T> call) throws HypervisorException {
    Connect used = null;
    connectionLock.readLock().lock();
    try {
      used = connection;
      return call.on(used);
    } catch (LibvirtException first) {
      if (alive()) {
        throw new HypervisorException(what + " on " + uri + " failed: " + first.getMessage(), first);
      }
    } finally {
      connectionLock.readLock().unlock();
    }
    connectionLock.writeLock().lock();
    try {
      if (connection == used) {
        LOG.warn("libvirt connection to {} lost; reconnecting", uri);
        reconnect();
      }
    } finally {
      connectionLock.writeLock().unlock();
    }
    connectionLock.readLock().lock();
    try {
      return call.on(connection);
    } catch (LibvirtException again) {
      throw new HypervisorException(what + " on " + uri + " failed: " + again.getMessage(), again);
    } finally {
      connectionLock.readLock().unlock();
    }
  }

  @Override
  public HostInfo hostInfo() throws HypervisorException {
    NodeInfo info = call("virNodeGetInfo", Connect::nodeInfo);
    return new HostInfo(info.memory / 1024, info.cpus);
  }

  @Override
  public void start(GuestDefinition guest) throws HypervisorException {
    String xml = DomainXml.of(guest);
    call("virDomainCreateXML " + guest.name(), c -> {
      c.domainCreateXML(xml, 0).free();
      return null;
    });
    LOG.info("started domain {}", guest.name());
  }

  @Override
  public Set<String> ownedGuests(String owner) throws HypervisorException {
    return call("listing domains", c -> {
      Set<String> names = new LinkedHashSet<>();
      for (int id : c.listDomains()) {
        Domain d;
        try {
          d = c.domainLookupByID(id);
        } catch (LibvirtException gone) {
          continue; // ended between the listing and the lookup
        }
        try {
          if (owner.equals(ownerOf(d))) {
            names.add(d.getName());
          }
        } finally {
          d.free();
        }
      }
      return names;
    });
  }

  @Override
  public GuestState state(String name, String owner) throws HypervisorException {
    return call("state of " + name, c -> {
      Domain d = lookup(c, name);
      if (d == null) {
        return GuestState.ABSENT;
      }
      try {
        if (!owner.equals(ownerOf(d))) {
          return GuestState.ABSENT;
        }
        DomainInfo.DomainState s = d.getInfo().state;
        return switch (s) {
          case VIR_DOMAIN_RUNNING, VIR_DOMAIN_BLOCKED, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PMSUSPENDED -> GuestState.RUNNING;
          default -> GuestState.STOPPED;
        };
      } finally {
        d.free();
      }
    });
  }

  @Override
  public boolean nameTaken(String name) throws HypervisorException {
    return call("looking up " + name, c -> {
      Domain d = lookup(c, name);
      if (d != null) {
        d.free();
      }
      return d != null;
    });
  }

  @Override
  public void destroy(String name) throws HypervisorException {
    call("virDomainDestroy " + name, c -> {
      Domain d = lookup(c, name);
      if (d != null) {
        try {
          if (d.isActive() == 1) {
            d.destroy();
          }
        } catch (LibvirtException e) {
          if (e.getError().getCode() != Error.ErrorNumber.VIR_ERR_OPERATION_INVALID) {
            throw e; // "domain is not running" means it ended meanwhile: done
          }
        } finally {
          d.free();
        }
      }
      return null;
    });
  }

  /**
   * kvm/qemu: virDomainReset, a hard reset as the reset button does (a guest without an ACPI
   * daemon would ignore a polite reboot request); xen: virDomainReboot.
   */
  @Override
  public void reboot(String name) throws HypervisorException {
    boolean found = call("rebooting " + name, c -> {
      Domain d = lookup(c, name);
      if (d == null) {
        return false;
      }
      try {
        if ("xen".equalsIgnoreCase(c.getType())) {
          d.reboot(0);
        } else {
          d.reset();
        }
      } finally {
        d.free();
      }
      return true;
    });
    if (!found) {
      throw new HypervisorException("rebooting " + name + ": there is no such domain");
    }
  }

  @Override
  public void attachDisk(String name, NetworkDisk disk) throws HypervisorException {
    String xml = DomainXml.networkDisk(disk);
    call("virDomainAttachDeviceFlags " + disk.target() + " of " + name, c -> {
      Domain d = c.domainLookupByName(name); // a missing one is libvirt's "Domain not found"
      try {
        d.attachDeviceFlags(xml, flags(d));
      } finally {
        d.free();
      }
      return null;
    });
    LOG.info("domain {}: disk {} ({}) attached from {}:{}/{}", name, disk.target(), disk.serial(), disk.host(), disk.port(),
        disk.export());
  }

  /**
   * virDomainDetachDeviceFlags asks the guest (ACPI hot-unplug) and returns once the guest let go,
   * or after libvirt's own wait (5 s) with the request still pending; a second request while one
   * is pending is refused by libvirt ("unplug … already in progress"), so from then on the NC
   * only watches the domain's disks. The wait is at least libvirt's 5 s.
   */
  @Override
  public boolean detachDisk(String name, NetworkDisk disk, Duration wait) throws HypervisorException {
    long end = System.nanoTime() + wait.toNanos();
    if (!has(name, disk.target())) {
      return true;
    }
    String xml = DomainXml.networkDisk(disk);
    try {
      call("virDomainDetachDeviceFlags " + disk.target() + " of " + name, c -> {
        Domain d = c.domainLookupByName(name); // a missing one is libvirt's "Domain not found"
        try {
          d.detachDeviceFlags(xml, flags(d));
        } finally {
          d.free();
        }
        return null;
      });
    } catch (HypervisorException e) {
      // already being unplugged (an earlier request the guest has not answered yet): keep watching
      if (!has(name, disk.target())) {
        return true;
      }
      if (e.getMessage() == null || !e.getMessage().contains("unplug")) {
        throw e;
      }
      LOG.info("domain {}: {} is already being unplugged: {}", name, disk.target(), e.getMessage());
    }
    while (has(name, disk.target())) {
      if (System.nanoTime() > end) {
        return false;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    LOG.info("domain {}: disk {} ({}) detached", name, disk.target(), disk.serial());
    return true;
  }

  private boolean has(String name, String target) throws HypervisorException {
    return disks(name).stream().anyMatch(a -> target.equals(a.target()));
  }

  @Override
  public List<AttachedDisk> disks(String name) throws HypervisorException {
    return call("disks of " + name, c -> {
      Domain d = lookup(c, name);
      if (d == null) {
        return List.of();
      }
      try {
        return DomainXml.disksOf(d.getXMLDesc(0));
      } finally {
        d.free();
      }
    });
  }

  /** Live, and the stored definition too when there is one. */
  private static int flags(Domain d) throws LibvirtException {
    return Domain.DeviceModifyFlags.LIVE | (d.isPersistent() == 1 ? Domain.DeviceModifyFlags.CONFIG : 0);
  }

  /** The domain, or null when there is none of that name. */
  private static Domain lookup(Connect c, String name) throws LibvirtException {
    try {
      return c.domainLookupByName(name);
    } catch (LibvirtException e) {
      if (e.getError() != null && e.getError().getCode() == Error.ErrorNumber.VIR_ERR_NO_DOMAIN) {
        return null;
      }
      throw e;
    }
  }

  /** The owner mark in the domain's NC metadata, or null for a domain without it (not ours). */
  private static String ownerOf(Domain d) {
    try {
      String meta = d.getMetadata(Domain.MetadataType.ELEMENT, DomainXml.METADATA_NS, 0);
      Matcher m = OWNER.matcher(meta == null ? "" : meta);
      return m.find() ? unescape(m.group(1)) : null;
    } catch (LibvirtException e) {
      return null; // VIR_ERR_NO_DOMAIN_METADATA: some other program's domain
    }
  }

  private static String unescape(String s) {
    return s.replace("&apos;", "'").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }

  private boolean alive() {
    try {
      return connection.isConnected() && connection.isAlive();
    } catch (LibvirtException e) {
      return false;
    }
  }

  private void reconnect() throws HypervisorException {
    close();
    connection = open(uri);
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (LibvirtException ignored) {
      // closing a broken or finished connection: nothing left to do
    }
  }
}
