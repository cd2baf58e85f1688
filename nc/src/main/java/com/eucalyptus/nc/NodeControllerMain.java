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
import com.eucalyptus.nc.disks.DiskTools;
import com.eucalyptus.nc.disks.InstanceDiskBuilder;
import com.eucalyptus.nc.images.ImageCache;
import com.eucalyptus.nc.images.WalrusImageClient;
import com.eucalyptus.nc.images.WalrusRequestSigner;
import com.eucalyptus.nc.instances.InstanceManager;
import com.eucalyptus.nc.instances.InstanceSettings;
import com.eucalyptus.nc.instances.InstanceVolumes;
import com.eucalyptus.nc.volumes.NbdClientCredentials;
import com.eucalyptus.nc.network.NodeNetwork;
import com.eucalyptus.runtime.config.BadConfigurationException;
import com.eucalyptus.runtime.crypto.Pem;
import com.eucalyptus.runtime.exec.CommandRunner;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
    } catch (BadConfigurationException e) {
      log.fatal("Node Controller not started: {}", e.getMessage());
      System.err.println("eucalyptus-nc: " + e.getMessage());
      LogManager.shutdown();
      System.exit(1);
    }
  }

  /** A started NC: its SOAP server, its instances and its hypervisor connection. */
  public record Running(SoapServer server, LibvirtHypervisor hypervisor, InstanceManager instances, ExecutorService launches) {
    public int port() {
      return server.port();
    }

    /** Stops serving; running guests keep running (a restarted NC adopts them). */
    public void stop() {
      server.stop();
      launches.shutdownNow();
      try {
        launches.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      hypervisor.close();
    }
  }

  /**
   * Connects to the hypervisor and serves EucalyptusNC; used by the daemon and by tests. Conf keys:
   * NC_PORT (8775), HYPERVISOR (kvm), LIBVIRT_URI (default from HYPERVISOR: qemu:///system or
   * xen:///), INSTANCE_PATH, MAX_MEM (MB), MAX_CORES, MAX_DISK (GB), ENABLE_WS_SECURITY (Y),
   * NC_CACHE_SIZE (MB, 99999), SWAP_SIZE (MB, 512), MANUAL_INSTANCES_CLEANUP (N), VNET_BRIDGE,
   * NC_TEARDOWN_RETENTION (seconds an ended instance is still reported, 180), VNET_MODE (SYSTEM,
   * STATIC or MANAGED-NOVLAN; anything else, MANAGED included, stops the NC with a
   * {@link BadConfigurationException} naming it; STATIC and MANAGED-NOVLAN need VNET_BRIDGE),
   * NC_VOLUME_DETACH_WAIT (seconds a detach waits for the guest to release the disk, 10; below the CC's NC_TIMEOUT).
   */
  public static Running start(EucaPaths paths, EucalyptusConf conf) throws Exception {
    // checked first: a mode the NC does not know must not get as far as the hypervisor
    NodeNetwork network = NodeNetwork.fromConf(conf);
    String bridgeProblem = network.bridge() == null ? null : network.bridgeProblem();
    if (bridgeProblem != null) {
      // not fatal: the bridge may come up after the NC (ncStartNetwork checks again)
      LogManager.getLogger(NodeControllerMain.class).warn("{}: guests cannot start until it does", bridgeProblem);
    }
    HypervisorType type = HypervisorType.parse(conf.get("HYPERVISOR", "kvm"));
    String uri = conf.get("LIBVIRT_URI", type.defaultUri());
    LibvirtHypervisor hypervisor = LibvirtHypervisor.connect(uri);
    Path instancePath = Path.of(conf.get("INSTANCE_PATH", paths.home().resolve("instances").toString()));
    ExecutorService launches = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "nc-launch");
      t.setDaemon(true);
      return t;
    });
    InstanceManager instances;
    try {
      instances = instances(paths, conf, type, hypervisor, instancePath, launches, network);
    } catch (Exception | Error e) {
      launches.shutdownNow();
      hypervisor.close();
      throw e;
    }
    NodeResources resources = new NodeResources(hypervisor, instancePath,
        new NodeResources.Limits(conf.getInt("MAX_MEM", 0), conf.getInt("MAX_CORES", 0), conf.getInt("MAX_DISK", 0)), instances);
    int port = conf.getInt("NC_PORT", 8775);
    NbdClientCredentials nbdTls = new NbdClientCredentials(paths.keysDir(), NbdClientCredentials.QEMU_CONF);
    if (type != HypervisorType.XEN) {
      // only checked here: the credentials are written when a volume is attached (NCs started for other work leave them)
      String tlsProblem = nbdTls.problem();
      if (tlsProblem != null) {
        // not fatal: instances run without volumes; each attach checks again and refuses with the reason
        LogManager.getLogger(NodeControllerMain.class).warn("volumes cannot be attached: {}", tlsProblem);
      }
    }
    InstanceVolumes volumes = new InstanceVolumes(instances, nbdTls::ensure,
        Duration.ofSeconds(conf.getInt("NC_VOLUME_DETACH_WAIT", 10)));
    NodeService service = new NodeService(resources, instances,
        "http://" + localHostName() + ":" + port + "/axis2/services/EucalyptusNC", network, volumes);
    KeySource keys = conf.getBoolean("ENABLE_WS_SECURITY", true)
        ? KeySource.files(paths.keysDir(), "node-pk.pem", "node-cert.pem", "cluster-cert.pem") : null;
    SoapServer server;
    try {
      server = new SoapServer(port, keys);
      server.addService(EucalyptusNCStub.class.getResourceAsStream("/wsdl/eucalyptus_nc.wsdl"), "EucalyptusNC",
          new EucalyptusNCMessageReceiverInOut() {
            @Override
            protected Object getTheImplementationObject(MessageContext mc) {
              return service;
            }
          });
      server.start();
    } catch (Exception | Error e) {
      launches.shutdownNow();
      hypervisor.close();
      throw e;
    }
    LogManager.getLogger(NodeControllerMain.class).info("hypervisor {} via {}, instances under {}", type, uri, instancePath);
    return new Running(server, hypervisor, instances, launches);
  }

  private static InstanceManager instances(EucaPaths paths, EucalyptusConf conf, HypervisorType type, LibvirtHypervisor hypervisor,
      Path instancePath, ExecutorService launches, NodeNetwork network) throws Exception {
    Logger log = LogManager.getLogger(NodeControllerMain.class);
    Files.createDirectories(instancePath);
    Path absolute = instancePath.toAbsolutePath().normalize();
    WalrusRequestSigner signer = null;
    Path nodeKey = paths.keysDir().resolve("node-pk.pem");
    Path nodeCert = paths.keysDir().resolve("node-cert.pem");
    if (Files.isReadable(nodeKey) && Files.isReadable(nodeCert)) {
      signer = new WalrusRequestSigner(Pem.readPrivateKey(nodeKey), Pem.readCertificate(nodeCert));
    } else {
      log.warn("no {} / {}: requests to Walrus go unsigned and Walrus will refuse them (euca_conf --synckeys)", nodeKey, nodeCert);
    }
    long cacheMb = conf.getInt("NC_CACHE_SIZE", 99999);
    ImageCache cache = new ImageCache(absolute.resolve(InstanceManager.CACHE_OWNER_DIR).resolve("cache"), cacheMb * 1024 * 1024,
        new WalrusImageClient(signer, 3, Duration.ofSeconds(2)));
    cache.verifyAtStart();
    if (type != HypervisorType.XEN) {
      warnIfQemuCannotReach(absolute, log);
    }
    String bridge = network.bridge() == null ? "" : network.bridge();
    if (bridge.isEmpty()) {
      log.warn("VNET_BRIDGE is not set: instances get no network interface");
    }
    InstanceSettings settings = new InstanceSettings(absolute, "nc:" + absolute, type, bridge.isEmpty() ? null : bridge,
        conf.getInt("SWAP_SIZE", 512), conf.getBoolean("MANUAL_INSTANCES_CLEANUP", false),
        Duration.ofSeconds(conf.getInt("NC_TEARDOWN_RETENTION", 180)));
    InstanceManager instances = InstanceManager.create(hypervisor, cache, new InstanceDiskBuilder(new DiskTools(new CommandRunner())),
        settings, launches);
    instances.adopt();
    return instances;
  }

  /**
   * QEMU runs as its own user (libvirt-qemu on Debian) and must reach the instance folders: a
   * folder on the way to INSTANCE_PATH that others may not traverse makes every guest fail with
   * "Could not open .../disk: Permission denied". Said once at start, where an admin looks.
   */
  private static void warnIfQemuCannotReach(Path instancePath, Logger log) {
    for (Path p = instancePath; p != null; p = p.getParent()) {
      try {
        if (!Files.getPosixFilePermissions(p).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
          log.warn("{} is not traversable by other users (mode {}): QEMU, which runs as its own user, will not open the "
              + "instances' disks under INSTANCE_PATH {} (chmod o+x {})", p,
              java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), instancePath, p);
          return;
        }
      } catch (IOException | UnsupportedOperationException e) {
        return; // not a POSIX file system, or unreadable: nothing sure to say
      }
    }
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
