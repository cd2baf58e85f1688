package com.eucalyptus.cc.service;

import com.eucalyptus.cc.instances.InsufficientCapacityException;
import com.eucalyptus.cc.instances.Instance;
import com.eucalyptus.cc.instances.LaunchRequest;
import com.eucalyptus.cc.instances.NodeInstanceClient;
import com.eucalyptus.cc.network.NetworkRefusal;
import com.eucalyptus.cc.network.model.IngressRule;
import com.eucalyptus.cc.network.model.PublicAssignment;
import com.eucalyptus.cc.nodes.NodeNetworkClient;
import com.eucalyptus.cc.nodes.NodeEndpoint;
import com.eucalyptus.cc.nodes.NodeRegistry;
import com.eucalyptus.cc.nodes.NodeState;
import com.eucalyptus.cc.resources.ResourceCalculator;
import com.eucalyptus.wsdl.cc.EucalyptusCCSkeletonInterface;
import com.eucalyptus.wsdl.cc.types.*;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.axis2.context.MessageContext;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The EucalyptusCC operations. Resources, instances, networks and public addresses are answered
 * (the network operations by the VNET_MODE's {@link com.eucalyptus.cc.network.NetworkMode}; a
 * refusal is {@code return=false} with statusMessage "Code: message", the code being the EC2 error
 * the CLC shows). AttachVolume and DetachVolume go to the node that runs the instance; a refusal
 * there is answered the same way, with the node's reason.
 */
public final class ClusterService implements EucalyptusCCSkeletonInterface {
  private static final Logger LOG = LogManager.getLogger(ClusterService.class);
  private final NodeRegistry nodes;
  private final Duration maxWait;
  private final ClusterInstances instances;
  private final NodeNetworkClient nodeNetwork;

  /**
   * @param maxWait how long DescribeResources and DescribeInstances wait for the nodes' fresh
   *     answers before using the last ones
   * @param nodeNetwork ncStartNetwork and ncStopNetwork, sent to every node on StartNetwork and
   *     StopNetwork in the modes that want them
   */
  public ClusterService(NodeRegistry nodes, Duration maxWait, ClusterInstances instances, NodeNetworkClient nodeNetwork) {
    this.nodes = nodes;
    this.maxWait = maxWait;
    this.instances = instances;
    this.nodeNetwork = nodeNetwork;
  }

  @Override
  public DescribeResourcesResponse describeResources(DescribeResources request) {
    DescribeResourcesType in = request.getDescribeResources();
    List<NodeState> states = nodes.refresh(maxWait);
    DescribeResourcesResponseType out = new DescribeResourcesResponseType();
    out.setCorrelationId(in.getCorrelationId());
    out.setUserId(in.getUserId());
    VirtualMachineType[] types = in.getInstanceTypes();
    if (types != null) {
      for (VirtualMachineType t : types) {
        ResourceCalculator.Count c = ResourceCalculator.count(
            new ResourceCalculator.VmType(t.getName(), t.getMemory(), t.getCores(), t.getDisk()), states);
        ResourceType r = new ResourceType();
        r.setInstanceType(t);
        r.setMaxInstances(c.max());
        r.setAvailableInstances(c.available());
        out.addResources(r);
      }
    }
    for (NodeState s : states) {
      out.addServiceTags(s.endpoint().url());
    }
    out.set_return(true);
    LOG.debug("DescribeResources: {} node(s), {} up", states.size(), states.stream().filter(NodeState::up).count());
    DescribeResourcesResponse r = new DescribeResourcesResponse();
    r.setDescribeResourcesResponse(out);
    return r;
  }

  @Override
  public RunInstancesResponse runInstances(RunInstances request) {
    RunInstancesType in = request.getRunInstances();
    // a malformed request is answered with a fault that says what is wrong (IllegalArgumentException)
    LaunchRequest launch = InstanceMessages.launchRequest(in, Instant.now());
    LOG.info("RunInstances {}: received for {}", in.getReservationId(),
        launch.instances().stream().map(Instance::instanceId).toList());
    // fresh numbers first, as the original refreshed its resources before scheduling
    nodes.refresh(maxWait);
    RunInstancesResponseType out = new RunInstancesResponseType();
    out.setCorrelationId(in.getCorrelationId());
    out.setUserId(in.getUserId());
    // each instance gets its MAC and addresses from the network mode before it goes to a node
    List<Instance> admitted = new ArrayList<>();
    try {
      for (Instance i : launch.instances()) {
        admitted.add(instances.network().admit(i));
      }
    } catch (NetworkRefusal e) {
      admitted.forEach(instances.network()::released);
      LOG.warn("RunInstances {}: refused by the network: {}", in.getReservationId(), e.statusMessage());
      out.set_return(false);
      out.setStatusMessage(e.statusMessage());
      RunInstancesResponse r = new RunInstancesResponse();
      r.setRunInstancesResponse(out);
      return r;
    }
    List<Instance> running = List.of();
    try {
      running = instances.launcher().launch(new LaunchRequest(admitted, launch.minCount(), launch.imageUrl(),
          launch.kernelUrl(), launch.ramdiskUrl()));
      for (Instance i : running) {
        out.addInstances(InstanceMessages.toMessage(i));
      }
      out.set_return(true);
    } catch (InsufficientCapacityException e) {
      LOG.warn("RunInstances {}: {}", in.getReservationId(), e.getMessage());
      out.set_return(false);
      out.setStatusMessage("InsufficientInstanceCapacity: " + e.getMessage());
    } finally {
      // the addresses of instances that did not start are free again
      Set<String> started = new HashSet<>();
      running.forEach(i -> started.add(i.instanceId()));
      admitted.stream().filter(i -> !started.contains(i.instanceId())).forEach(instances.network()::released);
    }
    RunInstancesResponse r = new RunInstancesResponse();
    r.setRunInstancesResponse(out);
    return r;
  }

  @Override
  public DescribeInstancesResponse describeInstances(DescribeInstances request) {
    DescribeInstancesType in = request.getDescribeInstances();
    nodes.refresh(maxWait);
    instances.network().learn(instances.table());
    Set<String> wanted = new HashSet<>();
    if (in.getInstanceIds() != null) {
      for (String id : in.getInstanceIds()) {
        if (id != null && !id.isBlank()) {
          wanted.add(id);
        }
      }
    }
    DescribeInstancesResponseType out = new DescribeInstancesResponseType();
    out.setCorrelationId(in.getCorrelationId());
    out.setUserId(in.getUserId());
    for (Instance i : instances.table().all()) {
      if (wanted.isEmpty() || wanted.contains(i.instanceId())) {
        out.addInstances(InstanceMessages.toMessage(i));
      }
    }
    out.set_return(true);
    DescribeInstancesResponse r = new DescribeInstancesResponse();
    r.setDescribeInstancesResponse(out);
    return r;
  }

  /** The node running the instance, or null when the instance or its node is unknown. */
  private NodeEndpoint nodeOf(String instanceId) {
    Instance i = instanceId == null ? null : instances.table().get(instanceId);
    if (i == null || i.serviceTag() == null) {
      return null;
    }
    NodeState s = nodes.find(i.serviceTag());
    return s == null ? null : s.endpoint();
  }

  @Override
  public TerminateInstancesResponse terminateInstances(TerminateInstances request) {
    TerminateInstancesType in = request.getTerminateInstances();
    TerminateInstancesResponseType out = new TerminateInstancesResponseType();
    out.setCorrelationId(in.getCorrelationId());
    out.setUserId(in.getUserId());
    String[] ids = in.getInstanceIds() == null ? new String[0] : in.getInstanceIds();
    boolean[] done = new boolean[ids.length];
    for (int k = 0; k < ids.length; k++) {
      String id = ids[k];
      NodeEndpoint node = nodeOf(id);
      if (node == null) {
        LOG.info("TerminateInstances: {} is not known on this cluster", id);
        continue;
      }
      try {
        String state = instances.client().terminateInstance(node, id);
        instances.table().update(id, i -> i.withState(state == null || state.isBlank() ? "Teardown" : state));
        done[k] = true;
        Instance gone = instances.table().get(id);
        if (gone != null) {
          instances.network().released(gone);
        }
      } catch (Exception e) {
        LOG.warn("ncTerminateInstance of {} on {} failed: {}", id, node.url(), e.toString());
      }
    }
    out.setIsTerminated(done);
    out.set_return(true);
    TerminateInstancesResponse r = new TerminateInstancesResponse();
    r.setTerminateInstancesResponse(out);
    return r;
  }

  @Override
  public RebootInstancesResponse rebootInstances(RebootInstances request) {
    RebootInstancesType in = request.getRebootInstances();
    boolean all = true;
    for (String id : in.getInstanceIds() == null ? new String[0] : in.getInstanceIds()) {
      NodeEndpoint node = nodeOf(id);
      if (node == null) {
        LOG.info("RebootInstances: {} is not known on this cluster", id);
        all = false;
        continue;
      }
      try {
        instances.client().rebootInstance(node, id);
      } catch (Exception e) {
        LOG.warn("ncRebootInstance of {} on {} failed: {}", id, node.url(), e.toString());
        all = false;
      }
    }
    RebootInstancesResponseType out = new RebootInstancesResponseType();
    out.setCorrelationId(in.getCorrelationId());
    out.setUserId(in.getUserId());
    out.setStatus(all);
    out.set_return(all);
    RebootInstancesResponse r = new RebootInstancesResponse();
    r.setRebootInstancesResponse(out);
    return r;
  }

  @Override
  public GetConsoleOutputResponse getConsoleOutput(GetConsoleOutput request) {
    GetConsoleOutputType in = request.getGetConsoleOutput();
    GetConsoleOutputResponseType out = new GetConsoleOutputResponseType();
    out.setCorrelationId(in.getCorrelationId());
    out.setUserId(in.getUserId());
    NodeEndpoint node = nodeOf(in.getInstanceId());
    if (node == null) {
      out.set_return(false);
      out.setStatusMessage("instance " + in.getInstanceId() + " is not known on this cluster");
    } else {
      try {
        NodeInstanceClient.ConsoleOutput console = instances.client().getConsoleOutput(node, in.getInstanceId());
        out.setConsoleOutput(console.base64());
        if (console.timestamp() != null) {
          out.setTimestamp(InstanceMessages.calendar(console.timestamp()));
        }
        out.set_return(true);
      } catch (Exception e) {
        LOG.warn("ncGetConsoleOutput of {} on {} failed: {}", in.getInstanceId(), node.url(), e.toString());
        out.set_return(false);
        out.setStatusMessage("the node of " + in.getInstanceId() + " did not answer: " + e.getMessage());
      }
    }
    GetConsoleOutputResponse r = new GetConsoleOutputResponse();
    r.setGetConsoleOutputResponse(out);
    return r;
  }

  /** The CLC's address as this request came from it (for the metadata redirect), or null. */
  private static String requestSource() {
    MessageContext mc = MessageContext.getCurrentMessageContext();
    Object addr = mc == null ? null : mc.getProperty(MessageContext.REMOTE_ADDR);
    return addr == null ? null : addr.toString();
  }

  /** Sets return and statusMessage from a refusal (null: success). */
  private static void answer(EucalyptusMessage out, String op, NetworkRefusal refusal) {
    out.set_return(refusal == null);
    if (refusal != null) {
      LOG.warn("{} refused: {}", op, refusal.statusMessage());
      out.setStatusMessage(refusal.statusMessage());
    }
  }

  @Override
  public StartNetworkResponse startNetwork(StartNetwork request) {
    StartNetworkType in = request.getStartNetwork();
    StartNetworkResponseType out = new StartNetworkResponseType();
    out.setCorrelationId(in.getCorrelationId());
    out.setUserId(in.getUserId());
    int vlan = in.isVlanSpecified() ? in.getVlan() : 0;
    NetworkRefusal refusal = null;
    try {
      instances.network().startNetwork(in.getUserId(), in.getNetName(), vlan, requestSource());
      if (instances.network().startsNetworkOnNodes()) {
        startOnNodes(vlan);
      }
    } catch (NetworkRefusal e) {
      refusal = e;
    }
    answer(out, "StartNetwork " + in.getUserId() + "-" + in.getNetName() + " index " + vlan, refusal);
    StartNetworkResponse r = new StartNetworkResponse();
    r.setStartNetworkResponse(out);
    return r;
  }

  /**
   * ncStartNetwork to every node that is up, in parallel, each with the other hosts carrying the
   * network (the mode's remoteHosts for that node). A node that fails is logged and does not fail
   * the CLC's request: its guests cannot start there anyway, and the others need not wait for it.
   */
  private void startOnNodes(int vlan) {
    onNodes("ncStartNetwork", vlan, node -> nodeNetwork.startNetwork(node, vlan,
        instances.network().remoteHosts(node.host()), instances.network().remoteHostPort()));
  }

  /** A call that asks one node something about a network and answers its networkStatus. */
  @FunctionalInterface
  private interface NodeNetworkCall {
    String on(NodeEndpoint node) throws Exception;
  }

  private void onNodes(String op, int vlan, NodeNetworkCall call) {
    List<CompletableFuture<Void>> calls = new ArrayList<>();
    // fresh answers first (waiting at most maxWait), so that a CC that just started knows its nodes
    for (NodeState n : nodes.refresh(maxWait)) {
      if (!n.up()) {
        // a silent node would hold the CLC's request for NC_TIMEOUT; it cannot run guests anyway
        LOG.info("{} (index {}) not sent to {}: the node is down", op, vlan, n.endpoint().url());
        continue;
      }
      NodeEndpoint node = n.endpoint();
      calls.add(CompletableFuture.runAsync(() -> {
        try {
          String status = call.on(node);
          if (status == null || !status.startsWith("SUCCESS")) {
            LOG.warn("{} (index {}) on {}: {}", op, vlan, node.url(), status);
          } else {
            LOG.debug("{} (index {}) on {}: {}", op, vlan, node.url(), status);
          }
        } catch (Exception e) {
          LOG.warn("{} (index {}) on {} failed: {}", op, vlan, node.url(), e.getMessage());
        }
      }));
    }
    calls.forEach(CompletableFuture::join);
  }

  @Override
  public StopNetworkResponse stopNetwork(StopNetwork request) {
    StopNetworkType in = request.getStopNetwork();
    StopNetworkResponseType out = new StopNetworkResponseType();
    out.setCorrelationId(in.getCorrelationId());
    out.setUserId(in.getUserId());
    int vlan = in.isVlanSpecified() ? in.getVlan() : 0;
    NetworkRefusal refusal = null;
    try {
      instances.network().stopNetwork(in.getUserId(), in.getNetName(), vlan);
      if (vlan > 0 && instances.network().stopsNetworkOnNodes() && !instances.network().indexInUse(vlan)) {
        // MANAGED: every node takes the network's bridge and link away (ncStopNetwork, ours);
        // not while another group still has the index here (a StopNetwork that does not match)
        onNodes("ncStopNetwork", vlan, node -> nodeNetwork.stopNetwork(node, vlan));
      }
    } catch (NetworkRefusal e) {
      refusal = e;
    }
    answer(out, "StopNetwork " + in.getUserId() + "-" + in.getNetName(), refusal);
    StopNetworkResponse r = new StopNetworkResponse();
    r.setStopNetworkResponse(out);
    return r;
  }

  @Override
  public ConfigureNetworkResponse configureNetwork(ConfigureNetwork request) {
    ConfigureNetworkType in = request.getConfigureNetwork();
    ConfigureNetworkResponseType out = new ConfigureNetworkResponseType();
    out.setCorrelationId(in.getCorrelationId());
    out.setUserId(in.getUserId());
    NetworkRefusal refusal = null;
    try {
      for (Map.Entry<String, List<IngressRule>> e : NetworkMessages.ruleSets(in.getUserId(), in.getRules()).entrySet()) {
        instances.network().configureNetwork(in.getUserId(), e.getKey(), e.getValue());
      }
    } catch (NetworkRefusal e) {
      refusal = e;
    }
    answer(out, "ConfigureNetwork for " + in.getUserId(), refusal);
    ConfigureNetworkResponse r = new ConfigureNetworkResponse();
    r.setConfigureNetworkResponse(out);
    return r;
  }

  @Override
  public AssignAddressResponse assignAddress(AssignAddress request) {
    AssignAddressType in = request.getAssignAddress();
    AssignAddressResponseType out = new AssignAddressResponseType();
    out.setCorrelationId(in.getCorrelationId());
    out.setUserId(in.getUserId());
    NetworkRefusal refusal = null;
    try {
      instances.network().assignAddress(strip(in.getSource()), strip(in.getDest()));
      instances.network().learn(instances.table());
    } catch (NetworkRefusal e) {
      refusal = e;
    }
    answer(out, "AssignAddress " + in.getSource() + " -> " + in.getDest(), refusal);
    AssignAddressResponse r = new AssignAddressResponse();
    r.setAssignAddressResponse(out);
    return r;
  }

  @Override
  public UnassignAddressResponse unassignAddress(UnassignAddress request) {
    UnassignAddressType in = request.getUnassignAddress();
    UnassignAddressResponseType out = new UnassignAddressResponseType();
    out.setCorrelationId(in.getCorrelationId());
    out.setUserId(in.getUserId());
    NetworkRefusal refusal = null;
    try {
      instances.network().unassignAddress(strip(in.getSource()), strip(in.getDest()));
      instances.network().learn(instances.table());
    } catch (NetworkRefusal e) {
      refusal = e;
    }
    answer(out, "UnassignAddress " + in.getSource() + " -> " + in.getDest(), refusal);
    UnassignAddressResponse r = new UnassignAddressResponse();
    r.setUnassignAddressResponse(out);
    return r;
  }

  @Override
  public DescribePublicAddressesResponse describePublicAddresses(DescribePublicAddresses request) {
    DescribePublicAddressesType in = request.getDescribePublicAddresses();
    DescribePublicAddressesResponseType out = new DescribePublicAddressesResponseType();
    out.setCorrelationId(in.getCorrelationId());
    out.setUserId(in.getUserId());
    NetworkRefusal refusal = null;
    try {
      for (PublicAssignment p : instances.network().publicAddresses()) {
        out.addSourceAddresses(p.publicIp());
        out.addDestAddresses(p.assigned() ? p.privateIp() : "");
      }
    } catch (NetworkRefusal e) {
      refusal = e;
    }
    out.set_return(refusal == null);
    if (refusal != null) {
      // SYSTEM and STATIC say so at every poll of the CLC: not worth a WARN each time
      LOG.debug("DescribePublicAddresses refused: {}", refusal.statusMessage());
      out.setStatusMessage(refusal.statusMessage());
    }
    DescribePublicAddressesResponse r = new DescribePublicAddressesResponse();
    r.setDescribePublicAddressesResponse(out);
    return r;
  }

  private static String strip(String s) {
    return s == null ? null : s.strip();
  }

  @Override
  public AttachVolumeResponse attachVolume(AttachVolume request) {
    AttachVolumeType in = request.getAttachVolume();
    AttachVolumeResponseType out = new AttachVolumeResponseType();
    out.setCorrelationId(in.getCorrelationId());
    out.setUserId(in.getUserId());
    String what = "AttachVolume " + in.getVolumeId() + " to " + in.getInstanceId();
    String refusal = volumeRefusal(in.getInstanceId(), in.getVolumeId(), in.getRemoteDev(), in.getLocalDev());
    volumeOnNode(out, what, refusal, in.getInstanceId(), node -> {
      instances.client().attachVolume(node, in.getInstanceId(), in.getVolumeId(), in.getRemoteDev(), in.getLocalDev());
      LOG.info("{}: attached on {} ({} as {})", what, node.url(), in.getRemoteDev(), in.getLocalDev());
    });
    AttachVolumeResponse r = new AttachVolumeResponse();
    r.setAttachVolumeResponse(out);
    return r;
  }

  @Override
  public DetachVolumeResponse detachVolume(DetachVolume request) {
    DetachVolumeType in = request.getDetachVolume();
    DetachVolumeResponseType out = new DetachVolumeResponseType();
    out.setCorrelationId(in.getCorrelationId());
    out.setUserId(in.getUserId());
    boolean force = in.isForceSpecified() && in.getForce();
    String what = "DetachVolume " + in.getVolumeId() + " from " + in.getInstanceId() + (force ? " (force)" : "");
    String refusal = volumeRefusal(in.getInstanceId(), in.getVolumeId(), "-", "-");
    volumeOnNode(out, what, refusal, in.getInstanceId(), node -> {
      instances.client().detachVolume(node, in.getInstanceId(), in.getVolumeId(), in.getRemoteDev(), in.getLocalDev(), force);
      LOG.info("{}: detached on {}", what, node.url());
    });
    DetachVolumeResponse r = new DetachVolumeResponse();
    r.setDetachVolumeResponse(out);
    return r;
  }

  /** Why a volume request cannot go to a node ("Code: message"), or null when it can. */
  private String volumeRefusal(String instanceId, String volumeId, String remoteDev, String localDev) {
    for (String[] f : new String[][] {{"instanceId", instanceId}, {"volumeId", volumeId}, {"remoteDev", remoteDev},
        {"localDev", localDev}}) {
      if (f[1] == null || f[1].isBlank()) {
        return "InvalidParameterValue: " + f[0] + " is required";
      }
    }
    if (nodeOf(instanceId) == null) {
      return "InvalidInstanceID.NotFound: instance " + instanceId + " is not known on this cluster";
    }
    return null;
  }

  /** A code the node's reason begins with ("VolumeInUse: ..."), kept; otherwise the reason alone. */
  private static final java.util.regex.Pattern CODED = java.util.regex.Pattern.compile("^[A-Z][A-Za-z]+(\\.[A-Za-z]+)?: .*",
      java.util.regex.Pattern.DOTALL);

  private static String nodeRefusal(NodeEndpoint node, Exception e) {
    String reason = e.getMessage() == null ? e.toString() : e.getMessage().strip();
    return CODED.matcher(reason).matches() ? reason : "the node " + node.url() + " refused: " + reason;
  }

  /** A volume request's work on the instance's node. */
  @FunctionalInterface
  private interface NodeVolumeCall {
    void on(NodeEndpoint node) throws Exception;
  }

  /**
   * Does {@code call} on the node of {@code instanceId} unless the request is already refused, and
   * answers {@code out}: return true, or false with the refusal (ours, or the node's) as statusMessage.
   */
  private void volumeOnNode(EucalyptusMessage out, String what, String refusal, String instanceId,
      NodeVolumeCall call) {
    if (refusal == null) {
      NodeEndpoint node = nodeOf(instanceId);
      try {
        call.on(node);
      } catch (Exception e) {
        refusal = nodeRefusal(node, e);
      }
    }
    answerVolume(out, what, refusal);
  }

  private static void answerVolume(EucalyptusMessage out, String what, String refusal) {
    out.set_return(refusal == null);
    if (refusal != null) {
      LOG.warn("{} refused: {}", what, refusal);
      out.setStatusMessage(refusal);
    }
  }
}
