package com.eucalyptus.cc;

import com.eucalyptus.cc.instances.InstanceLauncher;
import com.eucalyptus.cc.instances.InstancePoller;
import com.eucalyptus.cc.instances.InstanceTable;
import com.eucalyptus.cc.network.ArpProbe;
import com.eucalyptus.cc.network.NeighbourTable;
import com.eucalyptus.cc.network.SystemModeAddresses;
import com.eucalyptus.cc.nodes.NodeEndpoint;
import com.eucalyptus.cc.nodes.NodeRegistry;
import com.eucalyptus.cc.scheduling.SchedulingPolicy;
import com.eucalyptus.cc.nodes.SoapNodeClient;
import com.eucalyptus.cc.scheduling.NodePicker;
import com.eucalyptus.cc.service.ClusterInstances;
import com.eucalyptus.cc.service.ClusterService;
import com.eucalyptus.cc.service.GatherLogService;
import com.eucalyptus.runtime.config.EucaPaths;
import com.eucalyptus.runtime.daemon.Daemon;
import com.eucalyptus.runtime.config.EucalyptusConf;
import com.eucalyptus.runtime.logging.DaemonLogging;
import com.eucalyptus.runtime.soap.KeySource;
import com.eucalyptus.runtime.soap.SoapServer;
import com.eucalyptus.wsdl.cc.EucalyptusCCMessageReceiverInOut;
import com.eucalyptus.wsdl.cc.EucalyptusCCStub;
import com.eucalyptus.wsdl.gl.EucalyptusGLMessageReceiverInOut;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.axis2.context.MessageContext;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The Cluster Controller daemon: EucalyptusCC and EucalyptusGL on CC_PORT (8774), signed with
 * cluster-pk.pem and accepting only the cloud's certificate; talks to the NCs named in NODES.
 */
public final class ClusterControllerMain {
  /** How long DescribeResources waits for the nodes' fresh answers; a slower node counts as it last answered. */
  static final Duration DESCRIBE_RESOURCES_WAIT = Duration.ofSeconds(5);

  private ClusterControllerMain() {
  }

  public static void main(String[] args) throws Exception {
    EucaPaths paths = EucaPaths.fromEnvironment();
    EucalyptusConf conf = paths.loadConf();
    paths.ensureVarDirs();
    DaemonLogging.init("cc", paths.logDir(), conf.get("LOGLEVEL", "INFO"));
    Logger log = LogManager.getLogger(ClusterControllerMain.class);
    Running cc = start(paths, conf);
    log.info("Cluster Controller up on port {}", cc.port());
    Daemon.runUntilStopped("Cluster Controller", cc::stop);
  }

  /** A started CC: its SOAP server and its node poller. */
  public record Running(SoapServer server, NodeRegistry nodes, InstanceLauncher launcher) {
    public int port() {
      return server.port();
    }

    public void stop() {
      nodes.close();
      launcher.close();
      server.stop();
    }
  }

  /**
   * Serves EucalyptusCC and EucalyptusGL and polls the NODES; used by the daemon and by tests.
   * Conf keys: CC_PORT (8774), NODES, NC_PORT (8775), NC_SERVICE, ENABLE_WS_SECURITY (Y), SCHEDPOLICY,
   * NC_POLLING_FREQUENCY (seconds between polls of every node, 5), NC_TIMEOUT (seconds per NC call, 15),
   * VNET_MODE (SYSTEM), VNET_PRIVINTERFACE or VNET_BRIDGE (the interface whose neighbour table
   * gives the guests' addresses; all interfaces when neither is set) and VNET_NEIGHBOUR_TABLE
   * (/proc/net/arp; beyond 1.5.2, for a CC whose guests' network is in another namespace).
   */
  public static Running start(EucaPaths paths, EucalyptusConf conf) throws Exception {
    Logger log = LogManager.getLogger(ClusterControllerMain.class);
    boolean signed = conf.getBoolean("ENABLE_WS_SECURITY", true);
    if (!signed) {
      log.warn("ENABLE_WS_SECURITY is off: messages to and from the CC are not signed (debugging only)");
    }
    List<NodeEndpoint> endpoints = NodeEndpoint.parseNodes(conf.get("NODES", ""), conf.getInt("NC_PORT", 8775),
        conf.get("NC_SERVICE", "axis2/services/EucalyptusNC"));
    String schedConf = conf.get("SCHEDPOLICY", "");
    SchedulingPolicy sched = SchedulingPolicy.parse(schedConf);
    if (!schedConf.isBlank() && !sched.name().equalsIgnoreCase(schedConf.strip())) {
      log.warn("SCHEDPOLICY=\"{}\" is not GREEDY or ROUNDROBIN: using GREEDY", schedConf);
    }
    log.info("nodes: {}; scheduling policy {}", endpoints.stream().map(NodeEndpoint::url).toList(), sched);
    SoapNodeClient ncClient = new SoapNodeClient(
        signed ? KeySource.files(paths.keysDir(), "cluster-pk.pem", "cluster-cert.pem", "node-cert.pem") : null,
        Duration.ofSeconds(conf.getInt("NC_TIMEOUT", 15)));
    NodeRegistry nodes = new NodeRegistry(endpoints, ncClient);
    String mode = conf.get("VNET_MODE", "SYSTEM").strip();
    if (!mode.equalsIgnoreCase("SYSTEM")) {
      log.warn("VNET_MODE=\"{}\" is not supported yet: the CC works as in SYSTEM mode", mode);
    }
    String guestDevice = conf.get("VNET_PRIVINTERFACE", "");
    if (guestDevice.isBlank()) {
      guestDevice = conf.get("VNET_BRIDGE", "");
    }
    NeighbourTable neighbours = new NeighbourTable(Path.of(conf.get("VNET_NEIGHBOUR_TABLE", "/proc/net/arp")),
        guestDevice);
    log.info("guests' addresses from the neighbour table of {}", guestDevice.isBlank() ? "every interface" : guestDevice);
    InstanceTable table = new InstanceTable();
    SystemModeAddresses addresses = new SystemModeAddresses(neighbours, new ArpProbe(guestDevice, Duration.ofSeconds(5)));
    nodes.addPollListener(new InstancePoller(ncClient, table, addresses));
    InstanceLauncher launcher = new InstanceLauncher(nodes, new NodePicker(nodes, sched.newScheduler()), ncClient, table);
    ClusterService cluster = new ClusterService(nodes, DESCRIBE_RESOURCES_WAIT,
        new ClusterInstances(table, launcher, ncClient, addresses));
    GatherLogService gatherLog = new GatherLogService(nodes, paths.keysDir(), paths.logDir());
    KeySource keys = signed ? KeySource.files(paths.keysDir(), "cluster-pk.pem", "cluster-cert.pem", "cloud-cert.pem") : null;
    SoapServer server = new SoapServer(conf.getInt("CC_PORT", 8774), keys);
    server.addService(EucalyptusCCStub.class.getResourceAsStream("/wsdl/eucalyptus_cc.wsdl"), "EucalyptusCC",
        new EucalyptusCCMessageReceiverInOut() {
          @Override
          protected Object getTheImplementationObject(MessageContext mc) {
            return cluster;
          }
        });
    server.addService(EucalyptusCCStub.class.getResourceAsStream("/wsdl/eucalyptus_gl.wsdl"), "EucalyptusGL",
        new EucalyptusGLMessageReceiverInOut() {
          @Override
          protected Object getTheImplementationObject(MessageContext mc) {
            return gatherLog;
          }
        });
    server.start();
    nodes.startPolling(Duration.ofSeconds(Math.max(1, conf.getInt("NC_POLLING_FREQUENCY", 5))));
    return new Running(server, nodes, launcher);
  }
}
