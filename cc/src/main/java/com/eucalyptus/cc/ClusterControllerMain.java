package com.eucalyptus.cc;

import com.eucalyptus.cc.nodes.NodeEndpoint;
import com.eucalyptus.cc.nodes.NodeRegistry;
import com.eucalyptus.cc.nodes.SoapNodeClient;
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
  private ClusterControllerMain() {
  }

  public static void main(String[] args) throws Exception {
    EucaPaths paths = EucaPaths.fromEnvironment();
    EucalyptusConf conf = paths.loadConf();
    paths.ensureVarDirs();
    DaemonLogging.init("cc", paths.logDir(), conf.get("LOGLEVEL", "INFO"));
    Logger log = LogManager.getLogger(ClusterControllerMain.class);
    SoapServer server = start(paths, conf);
    log.info("Cluster Controller up on port {}", server.port());
    Daemon.runUntilStopped("Cluster Controller", server::stop);
  }

  /** Serves EucalyptusCC and EucalyptusGL; used by the daemon and by tests. */
  public static SoapServer start(EucaPaths paths, EucalyptusConf conf) throws Exception {
    Logger log = LogManager.getLogger(ClusterControllerMain.class);
    boolean signed = conf.getBoolean("ENABLE_WS_SECURITY", true);
    if (!signed) {
      log.warn("ENABLE_WS_SECURITY is off: messages to and from the CC are not signed (debugging only)");
    }
    List<NodeEndpoint> endpoints = NodeEndpoint.parseNodes(conf.get("NODES", ""), conf.getInt("NC_PORT", 8775),
        conf.get("NC_SERVICE", "axis2/services/EucalyptusNC"));
    log.info("nodes: {}", endpoints.stream().map(NodeEndpoint::url).toList());
    NodeRegistry nodes = new NodeRegistry(endpoints, new SoapNodeClient(
        signed ? KeySource.files(paths.keysDir(), "cluster-pk.pem", "cluster-cert.pem", "node-cert.pem") : null,
        Duration.ofSeconds(conf.getInt("NC_TIMEOUT", 15))));
    ClusterService cluster = new ClusterService(nodes);
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
    Thread first = new Thread(nodes::refresh, "nc-first-poll");
    first.setDaemon(true);
    first.start();
    return server;
  }
}
