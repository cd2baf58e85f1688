package com.eucalyptus.cc;

import com.eucalyptus.cc.instances.InstanceLauncher;
import com.eucalyptus.cc.instances.InstancePoller;
import com.eucalyptus.cc.instances.InstanceTable;
import com.eucalyptus.cc.network.NetworkMode;
import com.eucalyptus.cc.network.NetworkModes;
import com.eucalyptus.cc.network.NetworkRefusal;
import com.eucalyptus.cc.network.config.VnetConfig;
import com.eucalyptus.cc.network.host.HostNetwork;
import com.eucalyptus.cc.network.host.LinuxHostNetwork;
import com.eucalyptus.cc.nodes.NodeEndpoint;
import com.eucalyptus.cc.nodes.NodeRegistry;
import com.eucalyptus.cc.scheduling.SchedulingPolicy;
import com.eucalyptus.cc.nodes.SoapNodeClient;
import com.eucalyptus.cc.scheduling.NodePicker;
import com.eucalyptus.cc.service.ClusterInstances;
import com.eucalyptus.cc.service.ClusterService;
import com.eucalyptus.cc.service.GatherLogService;
import com.eucalyptus.cc.service.NodeNetworkResync;
import com.eucalyptus.runtime.config.EucaPaths;
import com.eucalyptus.runtime.daemon.Daemon;
import com.eucalyptus.runtime.config.BadConfigurationException;
import com.eucalyptus.runtime.config.EucalyptusConf;
import com.eucalyptus.runtime.exec.CommandRunner;
import com.eucalyptus.runtime.logging.DaemonLogging;
import com.eucalyptus.runtime.network.VnetKeys;
import com.eucalyptus.runtime.network.VnetMode;
import com.eucalyptus.runtime.network.transport.NetworkTransport;
import com.eucalyptus.runtime.network.transport.NetworkTransports;
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
    Running cc;
    try {
      cc = start(paths, conf, hostNetwork());
    } catch (BadConfigurationException | NetworkRefusal e) {
      // an administrator's mistake or a network the CC cannot set up: said in cc.log and on stderr
      // (the init script shows the daemon's output when it exits at start), and a non-zero exit
      log.fatal("Cluster Controller not started: {}", e.getMessage());
      System.err.println("eucalyptus-cc: " + e.getMessage());
      LogManager.shutdown();
      System.exit(1);
      return;
    }
    log.info("Cluster Controller up on port {}", cc.port());
    Daemon.runUntilStopped("Cluster Controller", cc::stop);
  }

  /**
   * The construction point of the front end's host networking (iptables chains, NAT, router and
   * public addresses) for the MANAGED modes: the real tools, through the one command runner.
   */
  static HostNetwork hostNetwork() {
    return new LinuxHostNetwork(new CommandRunner());
  }

  /** A started CC: its SOAP server, its node poller and its network mode. */
  public record Running(SoapServer server, NodeRegistry nodes, InstanceLauncher launcher, NetworkMode network) {
    public int port() {
      return server.port();
    }

    public void stop() {
      nodes.close();
      launcher.close();
      server.stop();
      network.close();
    }
  }

  /** As {@link #start(EucaPaths, EucalyptusConf, HostNetwork)} with the daemon's host networking. */
  public static Running start(EucaPaths paths, EucalyptusConf conf) throws Exception {
    return start(paths, conf, hostNetwork());
  }

  /** As {@link #start(EucaPaths, EucalyptusConf, HostNetwork, NetworkTransport)} with MANAGED's transport from the configuration. */
  public static Running start(EucaPaths paths, EucalyptusConf conf, HostNetwork host) throws Exception {
    return start(paths, conf, host, null);
  }

  /**
   * MANAGED's transport as VNET_TRANSPORT and VNET_LOCALIP say, on VNET_PRIVINTERFACE; one that
   * cannot work on this host (vlan without 8021q, vxlan without its underlay) stops the CC.
   */
  static NetworkTransport transport(EucalyptusConf conf, VnetConfig vnet, CommandRunner runner) {
    NetworkTransport t = NetworkTransports.fromConf(VnetKeys.of(conf), "VNET_PRIVINTERFACE", vnet.privateInterface(),
        runner);
    String problem = t.problem();
    if (problem != null) {
      throw new BadConfigurationException("eucalyptus.conf: " + problem);
    }
    return t;
  }

  /**
   * Serves EucalyptusCC and EucalyptusGL and polls the NODES; used by the daemon and by tests.
   * Conf keys: CC_PORT (8774), NODES, NC_PORT (8775), NC_SERVICE, ENABLE_WS_SECURITY (Y), SCHEDPOLICY,
   * NC_POLLING_FREQUENCY (seconds between polls of every node, 5), NC_TIMEOUT (seconds per NC call, 15),
   * and the networking keys, checked for the mode by {@link VnetConfig} (a missing or malformed one
   * stops the CC with a {@link BadConfigurationException} naming it):
   * <ul>
   *   <li>VNET_MODE: SYSTEM (default), STATIC, MANAGED-NOVLAN or MANAGED;</li>
   *   <li>SYSTEM: VNET_PRIVINTERFACE or else VNET_BRIDGE (the interface whose neighbour table gives
   *       the guests' addresses; all interfaces when neither is set), VNET_NEIGHBOUR_TABLE
   *       (/proc/net/arp; beyond 1.5.2, for a CC whose guests' network is in another namespace);</li>
   *   <li>STATIC: VNET_INTERFACE (VNET_PRIVINTERFACE overrides it), VNET_DHCPDAEMON, VNET_DHCPUSER
   *       (root), VNET_SUBNET, VNET_NETMASK, VNET_BROADCAST, VNET_ROUTER, VNET_DNS, VNET_MACMAP;</li>
   *   <li>MANAGED-NOVLAN: VNET_INTERFACE (VNET_PRIVINTERFACE and VNET_PUBINTERFACE override it),
   *       VNET_DHCPDAEMON, VNET_DHCPUSER (root), VNET_SUBNET, VNET_NETMASK, VNET_DNS,
   *       VNET_ADDRSPERNET, VNET_PUBLICIPS, VNET_CLOUDIP (default: where StartNetwork comes from);</li>
   *   <li>MANAGED: as MANAGED-NOVLAN, and VNET_TRANSPORT (vlan, the default, or vxlan) and
   *       VNET_LOCALIP (the CC's address towards the nodes; default VNET_PRIVINTERFACE's first).</li>
   * </ul>
   * The guide's misspellings VNET_DHCPUSE, VNET_ADDRSPPERNET and VNET_DHCPSERVER are read as
   * VNET_DHCPUSER, VNET_ADDRSPERNET and VNET_DHCPDAEMON, with a warning. dhcpd's files, the saved
   * network state (cc-network-state) and the iptables-preload file are in var/run/eucalyptus/net.
   *
   * @param host the front end's firewall and addresses for the MANAGED modes (unused in SYSTEM and STATIC)
   * @param transport MANAGED: how the networks' bridges are joined to the nodes; null to make it
   *     from the configuration
   */
  public static Running start(EucaPaths paths, EucalyptusConf conf, HostNetwork host, NetworkTransport transport)
      throws Exception {
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
    // the network first: a configuration that cannot work stops the CC before it serves anything
    VnetConfig vnet = VnetConfig.parse(conf);
    CommandRunner runner = new CommandRunner();
    NetworkTransport links = vnet.mode() != VnetMode.MANAGED ? null
        : transport != null ? transport : transport(conf, vnet, runner);
    NetworkMode network = NetworkModes.create(vnet, paths.runDir().resolve("net"),
        Path.of(conf.get("VNET_NEIGHBOUR_TABLE", "/proc/net/arp")), runner, host, links,
        endpoints.stream().map(NodeEndpoint::host).toList());
    network.start();
    if (links != null) {
      log.info("VNET_MODE MANAGED: each network on its bridge eucabr<index>, VNET_TRANSPORT {} on {} from {}",
          links.name(), vnet.privateInterface(), links.localAddress());
    }
    if (vnet.mode() == VnetMode.SYSTEM) {
      log.info("VNET_MODE SYSTEM: guests' addresses from the neighbour table of {}",
          vnet.privateInterface() == null ? "every interface" : vnet.privateInterface());
    } else {
      log.info("VNET_MODE {} on {} (subnet {})", vnet.mode(), vnet.privateInterface(), vnet.subnet());
    }
    InstanceTable table = new InstanceTable();
    nodes.addPollListener(new InstancePoller(ncClient, table, network));
    if (network.stopsNetworkOnNodes()) {
      // MANAGED: a node back from down (or first heard of) gets every network with its peers
      nodes.addPollListener(new NodeNetworkResync(nodes, ncClient, network));
    }
    InstanceLauncher launcher = new InstanceLauncher(nodes, new NodePicker(nodes, sched.newScheduler()), ncClient, table);
    ClusterService cluster = new ClusterService(nodes, DESCRIBE_RESOURCES_WAIT,
        new ClusterInstances(table, launcher, ncClient, network), ncClient);
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
    return new Running(server, nodes, launcher, network);
  }
}
