package com.eucalyptus.clc;

import com.eucalyptus.clc.accounts.Accounts;
import com.eucalyptus.clc.accounts.CredentialsZip;
import com.eucalyptus.clc.api.Ec2QueryServlet;
import com.eucalyptus.clc.api.Ec2Action;
import com.eucalyptus.clc.api.actions.AddressActions;
import com.eucalyptus.clc.api.actions.CloudActions;
import com.eucalyptus.clc.api.actions.ImageActions;
import com.eucalyptus.clc.api.actions.KeyPairActions;
import com.eucalyptus.clc.api.actions.SecurityGroupActions;
import com.eucalyptus.clc.api.actions.InstanceActions;
import com.eucalyptus.clc.api.actions.VolumeActions;
import com.eucalyptus.clc.compute.volumes.HeldVolumesCheck;
import com.eucalyptus.clc.compute.volumes.VolumeManager;
import com.eucalyptus.clc.compute.volumes.VolumeSettings;
import com.eucalyptus.clc.compute.volumes.Volumes;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import com.eucalyptus.clc.compute.addresses.AddressPool;
import com.eucalyptus.clc.compute.addresses.AddressSettings;
import com.eucalyptus.clc.compute.addresses.HeldAddressesCheck;
import com.eucalyptus.clc.compute.groups.SecurityGroups;
import com.eucalyptus.clc.compute.network.GroupNetworks;
import com.eucalyptus.clc.compute.network.NetworkIndexes;
import com.eucalyptus.clc.compute.instances.CapacityLedger;
import com.eucalyptus.clc.compute.instances.InstancePoller;
import com.eucalyptus.clc.compute.instances.Instances;
import com.eucalyptus.clc.compute.instances.Launcher;
import com.eucalyptus.clc.compute.instances.Reconciler;
import com.eucalyptus.clc.compute.instances.RunningInstancesCheck;
import com.eucalyptus.clc.compute.instances.StoredInstanceMetadata;
import com.eucalyptus.clc.images.Images;
import com.eucalyptus.clc.metadata.InstanceMetadataSource;
import com.eucalyptus.clc.compute.keys.KeyPairs;
import com.eucalyptus.clc.auth.QueryAuthenticator;
import com.eucalyptus.clc.bootstrap.CloudKeys;
import com.eucalyptus.clc.bootstrap.FirstStart;
import com.eucalyptus.clc.cluster.ClusterPoller;
import com.eucalyptus.clc.cluster.Clusters;
import com.eucalyptus.clc.cluster.SoapClusterClient;
import com.eucalyptus.clc.console.WebConsole;
import com.eucalyptus.clc.metadata.MetadataServlet;
import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.clc.properties.SystemProperties;
import com.eucalyptus.clc.walrus.WalrusService;
import com.eucalyptus.runtime.config.EucaPaths;
import com.eucalyptus.walrus.Walrus;
import java.util.ArrayList;
import java.util.List;
import com.eucalyptus.runtime.daemon.Daemon;
import com.eucalyptus.runtime.config.EucalyptusConf;
import com.eucalyptus.runtime.crypto.CertificateAuthority;
import com.eucalyptus.runtime.logging.DaemonLogging;
import com.eucalyptus.runtime.soap.KeySource;
import java.nio.file.Files;
import java.time.Duration;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;

/**
 * The Cloud Controller daemon: the database, first-start keys and accounts, the EC2 Query API and
 * Walrus (S3) on CLOUD_PORT (8773), and the poller that keeps the clusters' state.
 */
public final class CloudControllerMain implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(CloudControllerMain.class);
  private final Database db;
  private final Server http;
  private final ClusterPoller poller;
  private final WebConsole.Started console;
  private final InstancePoller instancePoller;
  private final InstanceMetadataSource metadata;

  private CloudControllerMain(Database db, Server http, ClusterPoller poller, WebConsole.Started console,
      InstancePoller instancePoller, InstanceMetadataSource metadata) {
    this.db = db;
    this.http = http;
    this.poller = poller;
    this.console = console;
    this.instancePoller = instancePoller;
    this.metadata = metadata;
  }

  /** The instance store's answers for the metadata service (:8773/latest/): the instance at a private address. */
  public InstanceMetadataSource metadataSource() {
    return metadata;
  }

  public static void main(String[] args) throws Exception {
    EucaPaths paths = EucaPaths.fromEnvironment();
    EucalyptusConf conf = paths.loadConf();
    paths.ensureVarDirs();
    DaemonLogging.init("cloud", paths.logDir(), conf.get("LOGLEVEL", "INFO"));
    CloudControllerMain clc;
    try {
      clc = start(paths, conf);
    } catch (Exception e) {
      LOG.fatal("the Cloud Controller could not start: {}", e.getMessage(), e);
      LogManager.shutdown();
      System.exit(1);
      return;
    }
    Daemon.runUntilStopped("Cloud Controller", clc::close);
  }

  /** Starts everything; used by the daemon and by tests. */
  public static CloudControllerMain start(EucaPaths paths, EucalyptusConf conf) throws Exception {
    Files.createDirectories(paths.bukkitsDir());
    CertificateAuthority ca = CloudKeys.ensure(paths.keysDir());
    Database db = Database.open(paths, conf);
    LOG.info("database: {}", db.describe());
    Accounts accounts = new Accounts(db);
    SystemProperties properties = new SystemProperties(db);
    FirstStart.run(db, accounts, properties, paths.keysDir(), paths.bukkitsDir());
    Clusters clusters = new Clusters(db);

    boolean signed = conf.getBoolean("ENABLE_WS_SECURITY", true);
    SoapClusterClient clusterClient = new SoapClusterClient(
        signed ? KeySource.files(paths.keysDir(), "cloud-pk.pem", "cloud-cert.pem", "cluster-cert.pem") : null,
        Duration.ofSeconds(20));
    ClusterPoller poller = new ClusterPoller(clusters, clusterClient, paths.keysDir());
    poller.start(() -> {
      try {
        return Integer.parseInt(properties.get(SystemProperties.CLUSTER_POLL_SECONDS));
      } catch (NumberFormatException e) {
        return 5;
      }
    });

    CredentialsZip credentials = new CredentialsZip(db, ca);
    Walrus walrus = WalrusService.create(db, accounts, properties);
    WalrusService.serveImages(walrus, db, accounts, properties, paths.keysDir());
    Instances instances = new Instances(db);
    long watchingSince = System.currentTimeMillis();
    InstancePoller instancePoller = new InstancePoller(instances, clusters, clusterClient,
        () -> new Reconciler.Settings(
            Duration.ofSeconds(properties.number(SystemProperties.INSTANCE_LOST_GRACE_SECONDS, 120)),
            Duration.ofSeconds(properties.number(SystemProperties.INSTANCE_TERMINATED_VISIBLE_SECONDS, 3600)), watchingSince),
        () -> new InstancePoller.Periods(
            Duration.ofMillis(Math.max(100, properties.number(SystemProperties.INSTANCE_POLL_FAST_MILLIS, 300))),
            Duration.ofSeconds(Math.max(1, properties.number(SystemProperties.INSTANCE_POLL_SECONDS, 5)))),
        System::currentTimeMillis);
    instancePoller.start();
    accounts.addDeletionCheck(new RunningInstancesCheck(instances));
    SecurityGroups groups = new SecurityGroups(db);
    GroupNetworks networks = new GroupNetworks(new NetworkIndexes(db), groups, instances, clusters, clusterClient);
    AddressPool addresses = new AddressPool(db, instances, clusters, clusterClient, () -> AddressSettings.of(properties));
    poller.alsoEachRound(addresses::refresh);
    poller.alsoEachRound(networks::releaseUnused); // groups whose last instance ended unseen (say, while the CLC was down)
    instancePoller.addressBook(addresses::book);
    accounts.addDeletionCheck(new HeldAddressesCheck(addresses));
    BlockStorage storage = BlockStorage.start(paths, conf, properties);
    ExecutorService volumeMaker = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "volume-create");
      t.setDaemon(true);
      return t;
    });
    Volumes volumeStore = new Volumes(db);
    accounts.addDeletionCheck(new HeldVolumesCheck(volumeStore));
    VolumeManager volumes = new VolumeManager(volumeStore, instances, clusters, clusterClient, storage.controller(),
        storage::problem, () -> VolumeSettings.of(properties), volumeMaker, System::currentTimeMillis);
    volumes.recover(); // before any request: what a killed CLC left half-way
    poller.alsoEachRound(volumes::settleRound);
    instancePoller.onEnded(ended -> {
      addresses.instancesEnded(ended);
      networks.releaseUnused();
      volumes.instancesEnded(ended);
    });
    Launcher launcher = new Launcher(instances, clusters, clusterClient, new CapacityLedger(clusters::countedAt),
        poller::pollAll, instancePoller::wake, System::currentTimeMillis, networks, addresses);
    InstanceMetadataSource metadata = new StoredInstanceMetadata(instances, conf.get("HYPERVISOR", "kvm"));

    List<Ec2Action> actions = ec2Actions(db, accounts, clusters, properties, credentials);
    actions.addAll(new SecurityGroupActions(groups, networks).all());
    actions.addAll(new AddressActions(addresses).all());
    actions.addAll(new InstanceActions(instances, launcher, new Images(db), new KeyPairs(db), groups,
        clusters, clusterClient, properties, instancePoller::wake, conf.getInt("CLOUD_PORT", 8773)).all());
    actions.addAll(ImageActions.create(db, accounts, walrus.bundles()).all());
    actions.addAll(new VolumeActions(volumes).all());
    Ec2QueryServlet ec2 = new Ec2QueryServlet(new QueryAuthenticator(accounts), actions,
        () -> properties.get(SystemProperties.DNS_DOMAIN));
    Server server = new Server(conf.getInt("CLOUD_PORT", 8773));
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder("ec2", ec2), "/*");
    MetadataServlet.mount(context, metadata); // /latest/* wins over "/*"
    walrus.mount(server, context); // S3 before EC2 (see clc/walrus)
    server.setHandler(context);
    server.start();
    LOG.info("Cloud Controller up: EC2 Query API on port {}", conf.getInt("CLOUD_PORT", 8773));
    WebConsole.Started console = WebConsole.start(conf, paths.keysDir(), db, accounts, properties, credentials, clusters);
    return new CloudControllerMain(db, server, poller, console, instancePoller, metadata);
  }

  /** Every EC2 Query action the CLC answers. */
  private static List<Ec2Action> ec2Actions(Database db, Accounts accounts, Clusters clusters,
      SystemProperties properties, CredentialsZip credentials) {
    List<Ec2Action> actions = new ArrayList<>();
    actions.addAll(new CloudActions(accounts, clusters, properties, credentials).all());
    actions.addAll(new KeyPairActions(new KeyPairs(db)).all());
    return actions;
  }

  @Override
  public void close() {
    console.close();
    instancePoller.close();
    poller.close();
    try {
      http.stop();
    } catch (Exception e) {
      LOG.warn("stopping the HTTP server: {}", e.getMessage());
    }
    db.close();
  }
}
