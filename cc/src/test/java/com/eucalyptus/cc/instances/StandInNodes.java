package com.eucalyptus.cc.instances;

import com.eucalyptus.cc.nodes.NodeClient;
import com.eucalyptus.cc.nodes.NodeEndpoint;
import com.eucalyptus.cc.nodes.NodeState.NodeCapacity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * In-process stand-ins for NCs, for the CC's logic (the CC module may not use the NC's code; the
 * signed SOAP path is covered by ClusterControllerSoapTest). Each node has cores, memory and disk;
 * a run uses them like an NC would; a node in {@link #down} refuses every call (a node failure
 * cannot be caused for real here without a real NC).
 */
public final class StandInNodes implements NodeClient, NodeInstanceClient {
  public final Map<String, int[]> capacity = new ConcurrentHashMap<>(); // host → {mem, disk, cores} max
  public final Map<String, Map<String, Instance>> running = new ConcurrentHashMap<>();
  public final Set<String> down = ConcurrentHashMap.newKeySet();
  /** Nodes that accept a run but answer too late (the CC sees a timeout). */
  public final Set<String> slow = ConcurrentHashMap.newKeySet();
  /** When set, every ncRunInstance waits for it (to hold runs in flight). */
  public volatile CountDownLatch runGate;

  public StandInNodes node(String host, int mem, int disk, int cores) {
    capacity.put(host, new int[] {mem, disk, cores});
    running.put(host, new ConcurrentHashMap<>());
    return this;
  }

  private void check(NodeEndpoint n) throws IOException {
    if (down.contains(n.host())) {
      throw new IOException("connection refused");
    }
  }

  @Override
  public Answer describeResource(NodeEndpoint n) throws Exception {
    check(n);
    int[] c = capacity.get(n.host());
    int mem = c[0];
    int disk = c[1];
    int cores = c[2];
    for (Instance i : running.get(n.host()).values()) {
      mem -= i.vmType().memory();
      disk -= i.vmType().disk();
      cores -= i.vmType().cores();
    }
    return new Answer(new NodeCapacity(c[0], mem, c[1], disk, c[2], cores), null);
  }

  @Override
  public Instance runInstance(NodeEndpoint n, Instance i, String imageUrl, String kernelUrl, String ramdiskUrl)
      throws Exception {
    CountDownLatch gate = runGate;
    if (gate != null) {
      gate.await();
    }
    check(n);
    Instance accepted = i.withState("Pending").placedOn(n.url(), null);
    running.get(n.host()).put(i.instanceId(), accepted);
    if (slow.contains(n.host())) {
      throw new java.net.SocketTimeoutException("Read timed out");
    }
    return accepted;
  }

  @Override
  public List<Instance> describeInstances(NodeEndpoint n) throws Exception {
    check(n);
    return new ArrayList<>(running.get(n.host()).values());
  }

  @Override
  public String terminateInstance(NodeEndpoint n, String instanceId) throws Exception {
    check(n);
    running.get(n.host()).remove(instanceId);
    return "Teardown";
  }

  @Override
  public void rebootInstance(NodeEndpoint n, String instanceId) throws Exception {
    check(n);
  }

  @Override
  public ConsoleOutput getConsoleOutput(NodeEndpoint n, String instanceId) throws Exception {
    check(n);
    return new ConsoleOutput("", null);
  }

  public int count(String host) {
    return running.get(host).size();
  }

  @Override
  public void attachVolume(NodeEndpoint n, String instanceId, String volumeId, String remoteDev, String localDev) {
    throw new UnsupportedOperationException("not part of this stand-in (volumes: ClusterControllerSoapTest)");
  }

  @Override
  public void detachVolume(NodeEndpoint n, String instanceId, String volumeId, String remoteDev, String localDev,
      boolean force) {
    throw new UnsupportedOperationException("not part of this stand-in (volumes: ClusterControllerSoapTest)");
  }
}
