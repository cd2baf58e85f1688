package com.eucalyptus.clc.cluster;

import com.eucalyptus.clc.persistence.ClusterEntity;
import com.eucalyptus.runtime.crypto.Pem;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Asks every registered cluster for its resources (DescribeResources) and each node's signing
 * certificate (GetKeys) every few seconds; a cluster that does not answer is DOWN. The cert
 * flags are real checks: cc = the CC's reply was signed by cluster-cert.pem, nc = the certificate
 * the node signed its last reply to the CC with is node-cert.pem.
 */
public final class ClusterPoller implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(ClusterPoller.class);
  private final Clusters clusters;
  private final ClusterClient client;
  private final Path keysDir;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "cluster-poller");
    t.setDaemon(true);
    return t;
  });

  /** more work at the same cadence (the public address pools: DescribePublicAddresses) */
  private final List<Runnable> alsoEachRound = new java.util.concurrent.CopyOnWriteArrayList<>();

  public ClusterPoller(Clusters clusters, ClusterClient client, Path keysDir) {
    this.clusters = clusters;
    this.client = client;
    this.keysDir = keysDir;
  }

  /** Runs {@code task} after every round of the timer, at the poller's cadence (its failures are logged). */
  public void alsoEachRound(Runnable task) {
    alsoEachRound.add(task);
  }

  public void start(IntSupplier periodSeconds) {
    timer.schedule(new Runnable() {
      @Override
      public void run() {
        try {
          pollAll();
        } catch (RuntimeException e) {
          LOG.error("cluster poll failed", e);
        }
        for (Runnable task : alsoEachRound) {
          try {
            task.run();
          } catch (RuntimeException e) {
            LOG.error("a task of the cluster poller failed", e);
          }
        }
        timer.schedule(this, Math.max(1, periodSeconds.getAsInt()), TimeUnit.SECONDS);
      }
    }, 1, TimeUnit.SECONDS);
  }

  public void pollAll() {
    List<ClusterClient.VmType> types = clusters.vmTypes().stream()
        .map(v -> new ClusterClient.VmType(v.name, v.cpu, v.memory, v.disk)).toList();
    for (ClusterEntity c : clusters.registered()) {
      Instant sent = Instant.now();
      clusters.update(poll(c, types), sent);
    }
  }

  private ClusterStatus poll(ClusterEntity c, List<ClusterClient.VmType> types) {
    ClusterStatus previous = clusters.status(c);
    try {
      ClusterClient.Resources r = client.describeResources(c.host, c.port, types);
      X509Certificate clusterCert = readCert("cluster-cert.pem");
      boolean ccOk = r.replySigner() != null && r.replySigner().equals(clusterCert);
      Map<String, ClusterClient.TypeCount> counts = new LinkedHashMap<>();
      r.counts().forEach(tc -> counts.put(tc.type(), tc));
      List<ClusterStatus.NodeStatus> nodes = new ArrayList<>();
      for (String tag : r.serviceTags()) {
        ClusterClient.Keys k = client.getKeys(c.host, c.port, tag);
        if (r.replySigner() == null) {
          // WS-Security off: fall back to the certificate the CC says it has
          ccOk = samePem(k.ccCertPem(), clusterCert);
        }
        boolean ncOk = samePem(k.ncCertPem(), readCert("node-cert.pem"));
        nodes.add(new ClusterStatus.NodeStatus(tag, ccOk, ncOk, Instant.now()));
      }
      if (!previous.up()) {
        LOG.info("cluster {} at {}:{} is UP ({} node(s))", c.name, c.host, c.port, nodes.size());
      }
      return new ClusterStatus(c.name, c.host, c.port, true, counts, nodes);
    } catch (Exception e) {
      if (previous.up()) {
        LOG.warn("cluster {} at {}:{} is DOWN: {}", c.name, c.host, c.port, e.getMessage());
      } else {
        LOG.debug("cluster {} at {}:{} still DOWN: {}", c.name, c.host, c.port, e.getMessage());
      }
      return ClusterStatus.down(c.name, c.host, c.port, previous);
    }
  }

  private X509Certificate readCert(String file) {
    try {
      return Pem.readCertificate(keysDir.resolve(file));
    } catch (Exception e) {
      return null;
    }
  }

  private static boolean samePem(String pem, X509Certificate expected) {
    if (pem == null || pem.isBlank() || expected == null) {
      return false;
    }
    try {
      return Pem.parseCertificate(pem).equals(expected);
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
