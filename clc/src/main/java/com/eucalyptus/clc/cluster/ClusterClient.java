package com.eucalyptus.clc.cluster;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/** What the CLC asks a cluster's CC. The signed SOAP implementation is {@link SoapClusterClient}. */
public interface ClusterClient {

  /** A VM type as the CC counts it. */
  record VmType(String name, int cpu, int memory, int disk) {
  }

  record TypeCount(String type, int available, int max) {
  }

  /** DescribeResources' answer and the certificate that signed the CC's reply (null if unsigned). */
  record Resources(List<TypeCount> counts, List<String> serviceTags, X509Certificate replySigner) {
  }

  /** GetKeys: the certificates the CC and the node (serviceTag) sign with, PEM text ("" if unknown). */
  record Keys(String ccCertPem, String ncCertPem) {
  }

  Resources describeResources(String host, int port, List<VmType> types) throws Exception;

  Keys getKeys(String host, int port, String serviceTag) throws Exception;

  /**
   * What RunInstances asks the CC for: {@code instanceIds.size()} instances (at least minCount, or
   * none) of one reservation. keyText is the SSH public key line (the CC's keyName carries the key
   * text, as in 1.5.2); userData is base64 as the client sent it ("" when none).
   */
  record Launch(String reservationId, List<String> instanceIds, int minCount, String owner, String imageId, String imageUrl,
      String kernelId, String kernelUrl, String ramdiskId, String ramdiskUrl, VmType type, String keyText, String userData,
      int launchIndex, List<String> groupNames) {
  }

  /**
   * One instance as the CC reports it. stateName is the NC's (Pending, Extant, Teardown); lastSeen
   * is when the CC last heard of it from its node (null from a CC that does not say).
   */
  record ReportedInstance(String instanceId, String reservationId, String ownerId, String stateName, String privateIp,
      String publicIp, String serviceTag, Instant launchTime, Instant lastSeen) {
  }

  /** RunInstances' answer: started false with the CC's reason when it refused (e.g. InsufficientInstanceCapacity: …). */
  record Launched(boolean started, String message, List<ReportedInstance> instances) {
  }

  record ConsoleOutput(String base64, Instant timestamp) {
  }

  Launched runInstances(String host, int port, Launch launch) throws Exception;

  /** Every instance the CC knows of (ids empty) or those named. */
  List<ReportedInstance> describeInstances(String host, int port, List<String> instanceIds) throws Exception;

  /** @return per id, whether the CC had its node terminate it */
  List<Boolean> terminateInstances(String host, int port, List<String> instanceIds) throws Exception;

  /** @return false if any instance could not be rebooted */
  boolean rebootInstances(String host, int port, List<String> instanceIds) throws Exception;

  /** @return null when the CC cannot give the console (unknown instance, silent node) */
  ConsoleOutput getConsoleOutput(String host, int port, String instanceId) throws Exception;
}
