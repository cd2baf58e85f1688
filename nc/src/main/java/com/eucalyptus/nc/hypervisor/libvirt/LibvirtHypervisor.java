package com.eucalyptus.nc.hypervisor.libvirt;

import com.eucalyptus.nc.hypervisor.Hypervisor;
import com.eucalyptus.nc.hypervisor.HypervisorException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.NodeInfo;

/**
 * {@link Hypervisor} through libvirt (libvirt-java over JNA). One connection, shared by the NC's
 * threads; if a call fails because the connection broke (libvirtd restarted), it is opened again
 * once and the call retried.
 */
public final class LibvirtHypervisor implements Hypervisor {
  private static final Logger LOG = LogManager.getLogger(LibvirtHypervisor.class);
  private final String uri;
  private Connect connection;

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

  @Override
  public synchronized HostInfo hostInfo() throws HypervisorException {
    NodeInfo info;
    try {
      info = connection.nodeInfo();
    } catch (LibvirtException first) {
      if (alive()) {
        throw new HypervisorException("virNodeGetInfo on " + uri + " failed: " + first.getMessage(), first);
      }
      LOG.warn("libvirt connection to {} lost ({}); reconnecting", uri, first.getMessage());
      reconnect();
      try {
        info = connection.nodeInfo();
      } catch (LibvirtException again) {
        throw new HypervisorException("virNodeGetInfo on " + uri + " failed: " + again.getMessage(), again);
      }
    }
    return new HostInfo(info.memory / 1024, info.cpus);
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
  public synchronized void close() {
    try {
      connection.close();
    } catch (LibvirtException ignored) {
      // closing a broken or finished connection: nothing left to do
    }
  }
}
