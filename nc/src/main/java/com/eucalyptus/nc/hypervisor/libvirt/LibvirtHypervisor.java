package com.eucalyptus.nc.hypervisor.libvirt;

import com.eucalyptus.nc.hypervisor.Hypervisor;
import com.eucalyptus.nc.hypervisor.HypervisorException;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.NodeInfo;

/** {@link Hypervisor} through libvirt (libvirt-java over JNA). One connection, shared by the NC's threads. */
public final class LibvirtHypervisor implements Hypervisor {
  private final String uri;
  private final Connect connection;

  private LibvirtHypervisor(String uri, Connect connection) {
    this.uri = uri;
    this.connection = connection;
  }

  /** Opens {@code uri} (e.g. qemu:///system); fails with the guide's "Failed to connect to hypervisor". */
  public static LibvirtHypervisor connect(String uri) throws HypervisorException {
    try {
      return new LibvirtHypervisor(uri, new Connect(uri, false));
    } catch (LibvirtException | UnsatisfiedLinkError | NoClassDefFoundError e) {
      throw new HypervisorException("Failed to connect to hypervisor at " + uri + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized HostInfo hostInfo() throws HypervisorException {
    try {
      NodeInfo info = connection.nodeInfo();
      return new HostInfo(info.memory / 1024, info.cpus);
    } catch (LibvirtException e) {
      throw new HypervisorException("virNodeGetInfo on " + uri + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (LibvirtException ignored) {
      // closing at shutdown: nothing left to do
    }
  }
}
