package com.eucalyptus.nc.service;

import com.eucalyptus.nc.resources.NodeResources;
import com.eucalyptus.wsdl.nc.EucalyptusNCSkeletonInterface;
import com.eucalyptus.wsdl.nc.types.*;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The EucalyptusNC operations. ncDescribeResource is answered now; running guests (run,
 * terminate, describe instances, reboot, console, volumes, network) arrives with the Instances
 * issue, and until then those calls are refused with a fault that says so — never a fake success.
 */
public final class NodeService implements EucalyptusNCSkeletonInterface {
  private static final Logger LOG = LogManager.getLogger(NodeService.class);
  private final NodeResources resources;

  public NodeService(NodeResources resources) {
    this.resources = resources;
  }

  @Override
  public NcDescribeResourceResponse ncDescribeResource(NcDescribeResource request) {
    NcDescribeResourceType in = request.getNcDescribeResource();
    NcDescribeResourceResponseType out = new NcDescribeResourceResponseType();
    out.setCorrelationId(in.getCorrelationId());
    out.setUserId(in.getUserId());
    try {
      NodeResources.Snapshot s = resources.describe();
      out.setNodeStatus(s.status());
      out.setMemorySizeMax(toInt(s.memoryMaxMb()));
      out.setMemorySizeAvailable(toInt(s.memoryAvailableMb()));
      out.setDiskSizeMax(toInt(s.diskMaxGb()));
      out.setDiskSizeAvailable(toInt(s.diskAvailableGb()));
      out.setNumberOfCoresMax(s.coresMax());
      out.setNumberOfCoresAvailable(s.coresAvailable());
      out.setPublicSubnets("");
      out.set_return(true);
      LOG.debug("ncDescribeResource: {}", s);
    } catch (Exception e) {
      LOG.error("ncDescribeResource failed: {}", e.getMessage());
      throw new IllegalStateException("ncDescribeResource failed: " + e.getMessage(), e);
    }
    NcDescribeResourceResponse r = new NcDescribeResourceResponse();
    r.setNcDescribeResourceResponse(out);
    return r;
  }

  private static int toInt(long v) {
    return (int) Math.min(Integer.MAX_VALUE, v);
  }

  /** The fault's reason is logged once, by runtime.soap.FaultLogger. */
  private static UnsupportedOperationException notYet(String op) {
    return new UnsupportedOperationException(op + " is not implemented yet (instances arrive with a later release)");
  }

  @Override
  public NcRunInstanceResponse ncRunInstance(NcRunInstance request) {
    throw notYet("ncRunInstance");
  }

  @Override
  public NcTerminateInstanceResponse ncTerminateInstance(NcTerminateInstance request) {
    throw notYet("ncTerminateInstance");
  }

  @Override
  public NcAttachVolumeResponse ncAttachVolume(NcAttachVolume request) {
    throw notYet("ncAttachVolume");
  }

  @Override
  public NcStartNetworkResponse ncStartNetwork(NcStartNetwork request) {
    throw notYet("ncStartNetwork");
  }

  @Override
  public NcRebootInstanceResponse ncRebootInstance(NcRebootInstance request) {
    throw notYet("ncRebootInstance");
  }

  @Override
  public NcDetachVolumeResponse ncDetachVolume(NcDetachVolume request) {
    throw notYet("ncDetachVolume");
  }

  @Override
  public NcDescribeInstancesResponse ncDescribeInstances(NcDescribeInstances request) {
    throw notYet("ncDescribeInstances");
  }

  @Override
  public NcGetConsoleOutputResponse ncGetConsoleOutput(NcGetConsoleOutput request) {
    throw notYet("ncGetConsoleOutput");
  }
}
