package com.eucalyptus.cc.service;

import com.eucalyptus.cc.instances.InsufficientCapacityException;
import com.eucalyptus.cc.instances.Instance;
import com.eucalyptus.cc.instances.LaunchRequest;
import com.eucalyptus.cc.instances.NodeInstanceClient;
import com.eucalyptus.cc.nodes.NodeEndpoint;
import com.eucalyptus.cc.nodes.NodeRegistry;
import com.eucalyptus.cc.nodes.NodeState;
import com.eucalyptus.cc.resources.ResourceCalculator;
import com.eucalyptus.wsdl.cc.EucalyptusCCSkeletonInterface;
import com.eucalyptus.wsdl.cc.types.*;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The EucalyptusCC operations. Resources and instances are answered; networks, addresses and
 * volumes arrive with later issues, and until then those calls are refused with a fault that says
 * so — never a fake success.
 */
public final class ClusterService implements EucalyptusCCSkeletonInterface {
  private static final Logger LOG = LogManager.getLogger(ClusterService.class);
  private final NodeRegistry nodes;
  private final Duration maxWait;
  private final ClusterInstances instances;

  /**
   * @param maxWait how long DescribeResources and DescribeInstances wait for the nodes' fresh
   *     answers before using the last ones
   */
  public ClusterService(NodeRegistry nodes, Duration maxWait, ClusterInstances instances) {
    this.nodes = nodes;
    this.maxWait = maxWait;
    this.instances = instances;
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

  /** The fault's reason is logged once, by runtime.soap.FaultLogger. */
  private static UnsupportedOperationException notYet(String op) {
    return new UnsupportedOperationException(op + " is not implemented yet (arrives with a later release)");
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
    try {
      for (Instance i : instances.launcher().launch(launch)) {
        out.addInstances(InstanceMessages.toMessage(i));
      }
      out.set_return(true);
    } catch (InsufficientCapacityException e) {
      LOG.warn("RunInstances {}: {}", in.getReservationId(), e.getMessage());
      out.set_return(false);
      out.setStatusMessage("InsufficientInstanceCapacity: " + e.getMessage());
    }
    RunInstancesResponse r = new RunInstancesResponse();
    r.setRunInstancesResponse(out);
    return r;
  }

  @Override
  public DescribeInstancesResponse describeInstances(DescribeInstances request) {
    DescribeInstancesType in = request.getDescribeInstances();
    nodes.refresh(maxWait);
    instances.addresses().learn(instances.table());
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

  @Override
  public StartNetworkResponse startNetwork(StartNetwork request) {
    throw notYet("StartNetwork");
  }

  @Override
  public StopNetworkResponse stopNetwork(StopNetwork request) {
    throw notYet("StopNetwork");
  }

  @Override
  public ConfigureNetworkResponse configureNetwork(ConfigureNetwork request) {
    throw notYet("ConfigureNetwork");
  }

  @Override
  public AssignAddressResponse assignAddress(AssignAddress request) {
    throw notYet("AssignAddress");
  }

  @Override
  public UnassignAddressResponse unassignAddress(UnassignAddress request) {
    throw notYet("UnassignAddress");
  }

  @Override
  public DescribePublicAddressesResponse describePublicAddresses(DescribePublicAddresses request) {
    throw notYet("DescribePublicAddresses");
  }

  @Override
  public AttachVolumeResponse attachVolume(AttachVolume request) {
    throw notYet("AttachVolume");
  }

  @Override
  public DetachVolumeResponse detachVolume(DetachVolume request) {
    throw notYet("DetachVolume");
  }
}
