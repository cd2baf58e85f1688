package com.eucalyptus.cc.instances;

import com.eucalyptus.cc.nodes.NodeEndpoint;
import java.util.List;

/**
 * The instance operations of one NC (ncRunInstance, ncDescribeInstances, ncTerminateInstance,
 * ncRebootInstance, ncGetConsoleOutput). The SOAP implementation is
 * {@link com.eucalyptus.cc.nodes.SoapNodeClient}.
 */
public interface NodeInstanceClient {
  /** Starts {@code request} on the node; returns the instance as the node accepted it. */
  Instance runInstance(NodeEndpoint node, Instance request, String imageUrl, String kernelUrl, String ramdiskUrl)
      throws Exception;

  /** Every instance the node runs, its serviceTag set to the node's URL. */
  List<Instance> describeInstances(NodeEndpoint node) throws Exception;

  /** Returns the state the node reports for the instance after the request (its shutdownState). */
  String terminateInstance(NodeEndpoint node, String instanceId) throws Exception;

  void rebootInstance(NodeEndpoint node, String instanceId) throws Exception;

  /** The console log, base64 as the NC encodes it, and when it was last written (null if unknown). */
  ConsoleOutput getConsoleOutput(NodeEndpoint node, String instanceId) throws Exception;

  record ConsoleOutput(String base64, java.time.Instant timestamp) {
  }
}
