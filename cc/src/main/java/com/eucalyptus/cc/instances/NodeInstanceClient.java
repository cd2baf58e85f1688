package com.eucalyptus.cc.instances;

import com.eucalyptus.cc.nodes.NodeEndpoint;
import java.util.List;

/**
 * The instance operations of one NC (ncRunInstance, ncDescribeInstances, ncTerminateInstance,
 * ncRebootInstance, ncGetConsoleOutput, ncAttachVolume, ncDetachVolume). The SOAP implementation is
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

  /** Hot-plugs the volume's export into the instance; a refusal is an exception with the node's reason. */
  void attachVolume(NodeEndpoint node, String instanceId, String volumeId, String remoteDev, String localDev)
      throws Exception;

  /** Unplugs the volume ({@code force}: even when the guest does not release it in time). */
  void detachVolume(NodeEndpoint node, String instanceId, String volumeId, String remoteDev, String localDev,
      boolean force) throws Exception;

  record ConsoleOutput(String base64, java.time.Instant timestamp) {
  }
}
