package com.eucalyptus.cc.service;

import com.eucalyptus.cc.nodes.NodeRegistry;
import com.eucalyptus.cc.nodes.NodeState;
import com.eucalyptus.cc.resources.ResourceCalculator;
import com.eucalyptus.wsdl.cc.EucalyptusCCSkeletonInterface;
import com.eucalyptus.wsdl.cc.types.*;
import java.time.Duration;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The EucalyptusCC operations. DescribeResources is answered now; instances, networks, addresses
 * and volumes arrive with later issues, and until then those calls are refused with a fault that
 * says so — never a fake success.
 */
public final class ClusterService implements EucalyptusCCSkeletonInterface {
  private static final Logger LOG = LogManager.getLogger(ClusterService.class);
  private final NodeRegistry nodes;
  private final Duration maxWait;

  /** @param maxWait how long DescribeResources waits for the nodes' fresh answers before using the last ones */
  public ClusterService(NodeRegistry nodes, Duration maxWait) {
    this.nodes = nodes;
    this.maxWait = maxWait;
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
    throw notYet("RunInstances");
  }

  @Override
  public DescribeInstancesResponse describeInstances(DescribeInstances request) {
    throw notYet("DescribeInstances");
  }

  @Override
  public TerminateInstancesResponse terminateInstances(TerminateInstances request) {
    throw notYet("TerminateInstances");
  }

  @Override
  public RebootInstancesResponse rebootInstances(RebootInstances request) {
    throw notYet("RebootInstances");
  }

  @Override
  public GetConsoleOutputResponse getConsoleOutput(GetConsoleOutput request) {
    throw notYet("GetConsoleOutput");
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
