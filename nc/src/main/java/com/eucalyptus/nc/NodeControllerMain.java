package com.eucalyptus.nc;

import com.eucalyptus.nc.hypervisor.HypervisorException;
import com.eucalyptus.nc.hypervisor.HypervisorType;
import com.eucalyptus.nc.hypervisor.libvirt.LibvirtHypervisor;
import com.eucalyptus.nc.resources.NodeResources;
import com.eucalyptus.nc.service.NodeService;
import com.eucalyptus.runtime.config.EucaPaths;
import com.eucalyptus.runtime.daemon.Daemon;
import com.eucalyptus.runtime.config.EucalyptusConf;
import com.eucalyptus.runtime.logging.DaemonLogging;
import com.eucalyptus.runtime.soap.KeySource;
import com.eucalyptus.runtime.soap.SoapServer;
import com.eucalyptus.wsdl.nc.EucalyptusNCMessageReceiverInOut;
import com.eucalyptus.wsdl.nc.EucalyptusNCStub;
import java.nio.file.Path;
import org.apache.axis2.context.MessageContext;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The Node Controller daemon: EucalyptusNC on NC_PORT (8775), signed with node-pk.pem and
 * accepting only the cluster's certificate, driving the hypervisor through libvirt.
 */
public final class NodeControllerMain {
  private NodeControllerMain() {
  }

  public static void main(String[] args) throws Exception {
    EucaPaths paths = EucaPaths.fromEnvironment();
    EucalyptusConf conf = paths.loadConf();
    paths.ensureVarDirs();
    DaemonLogging.init("nc", paths.logDir(), conf.get("LOGLEVEL", "INFO"));
    Logger log = LogManager.getLogger(NodeControllerMain.class);
    try {
      Running nc = start(paths, conf);
      log.info("Node Controller up on port {}", nc.port());
      Daemon.runUntilStopped("Node Controller", nc::stop);
    } catch (HypervisorException e) {
      log.fatal("{} -- is libvirtd running and may this user use it? (see euca_conf --setup)", e.getMessage());
      System.err.println("eucalyptus-nc: " + e.getMessage());
      LogManager.shutdown();
      System.exit(1);
    }
  }

  /** A started NC: its SOAP server and its hypervisor connection. */
  public record Running(SoapServer server, LibvirtHypervisor hypervisor) {
    public int port() {
      return server.port();
    }

    public void stop() {
      server.stop();
      hypervisor.close();
    }
  }

  /**
   * Connects to the hypervisor and serves EucalyptusNC; used by the daemon and by tests. Conf keys:
   * NC_PORT (8775), HYPERVISOR (kvm), LIBVIRT_URI (default from HYPERVISOR: qemu:///system or
   * xen:///), INSTANCE_PATH, MAX_MEM (MB), MAX_CORES, MAX_DISK (GB), ENABLE_WS_SECURITY (Y).
   */
  public static Running start(EucaPaths paths, EucalyptusConf conf) throws Exception {
    HypervisorType type = HypervisorType.parse(conf.get("HYPERVISOR", "kvm"));
    String uri = conf.get("LIBVIRT_URI", type.defaultUri());
    LibvirtHypervisor hypervisor = LibvirtHypervisor.connect(uri);
    Path instancePath = Path.of(conf.get("INSTANCE_PATH", paths.home().resolve("instances").toString()));
    NodeResources resources = new NodeResources(hypervisor, instancePath,
        new NodeResources.Limits(conf.getInt("MAX_MEM", 0), conf.getInt("MAX_CORES", 0), conf.getInt("MAX_DISK", 0)),
        NodeResources.InstanceUsage.NONE);
    NodeService service = new NodeService(resources);
    KeySource keys = conf.getBoolean("ENABLE_WS_SECURITY", true)
        ? KeySource.files(paths.keysDir(), "node-pk.pem", "node-cert.pem", "cluster-cert.pem") : null;
    SoapServer server;
    try {
      server = new SoapServer(conf.getInt("NC_PORT", 8775), keys);
      server.addService(EucalyptusNCStub.class.getResourceAsStream("/wsdl/eucalyptus_nc.wsdl"), "EucalyptusNC",
          new EucalyptusNCMessageReceiverInOut() {
            @Override
            protected Object getTheImplementationObject(MessageContext mc) {
              return service;
            }
          });
      server.start();
    } catch (Exception | Error e) {
      hypervisor.close();
      throw e;
    }
    LogManager.getLogger(NodeControllerMain.class).info("hypervisor {} via {}, instances under {}", type, uri, instancePath);
    return new Running(server, hypervisor);
  }
}
