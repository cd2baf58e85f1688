package com.eucalyptus.clc.cluster;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;

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
      int launchIndex, List<String> groupNames, int vlan, List<String> macAddresses) {
  }

  /**
   * One instance as the CC reports it. stateName is the NC's (Pending, Extant, Teardown); lastSeen
   * is when the CC last heard of it from its node (null from a CC that does not say).
   */
  record ReportedInstance(String instanceId, String reservationId, String ownerId, String stateName, String privateIp,
      String publicIp, String serviceTag, Instant launchTime, Instant lastSeen, List<ReportedVolume> volumes) {
    /** An instance reported without volumes (a CC that says nothing of them). */
    public ReportedInstance(String instanceId, String reservationId, String ownerId, String stateName, String privateIp,
        String publicIp, String serviceTag, Instant launchTime, Instant lastSeen) {
      this(instanceId, reservationId, ownerId, stateName, privateIp, publicIp, serviceTag, launchTime, lastSeen, List.of());
    }
  }

  /** A volume attached to a reported instance, as the CC tells it (its volumeType): state as the NC says. */
  record ReportedVolume(String volumeId, String remoteDev, String localDev, String state) {
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

  // ------------------------------------------------------------------ networking (docs/network.md, the tier contract)

  /**
   * The CC's answer to a networking call: ok is its {@code return}; message its statusMessage, in
   * the contract's "Code: message" form when it refused (see {@link CcStatus}).
   */
  record Answer(boolean ok, String message) {
  }

  /**
   * One rule of ConfigureNetwork. type is "firewall-close" (clears the group's rules; only type and
   * destName matter) or "firewall-open"; ports are tcp/udp port ranges or the icmp type and code
   * (-1 = any); the sources are CIDRs and/or source groups as pairs userNames[k] + sourceNames[k].
   */
  record NetRule(String type, String destName, String protocol, int portMin, int portMax, List<String> sourceNets,
      List<String> userNames, List<String> sourceNames) {
  }

  /** StartNetwork: userId = the group's owner, netName = the group's name, vlan = its network index. */
  Answer startNetwork(String host, int port, String owner, String netName, int vlan) throws Exception;

  Answer stopNetwork(String host, int port, String owner, String netName, int vlan) throws Exception;

  /** ConfigureNetwork with a group's whole rule set (the first rule is its firewall-close). */
  Answer configureNetwork(String host, int port, String owner, List<NetRule> rules) throws Exception;

  /** AssignAddress: source = the public address, dest = the instance's private address. */
  Answer assignAddress(String host, int port, String publicIp, String privateIp) throws Exception;

  Answer unassignAddress(String host, int port, String publicIp, String privateIp) throws Exception;

  /**
   * DescribePublicAddresses: ok false (statusMessage "UnsupportedOperation: …") when the cluster
   * has no pool (SYSTEM, STATIC); else every address of VNET_PUBLICIPS, in the CC's order, mapped
   * to the private address it is assigned to ("" when free).
   */
  record PublicAddresses(boolean ok, String message, Map<String, String> assignedTo) {
  }

  PublicAddresses describePublicAddresses(String host, int port) throws Exception;

  // ------------------------------------------------------------------ volumes (docs/storage.md)

  /**
   * AttachVolume: the CC has the instance's node hot-plug remoteDev (the storage controller's
   * export) into the guest, localDev (/dev/sdb) as the hint. ok false with the CC's reason.
   */
  Answer attachVolume(String host, int port, String owner, String volumeId, String instanceId, String remoteDev,
      String localDev) throws Exception;

  /** DetachVolume: the node unplugs the disk; force asks it to even when the guest holds it. */
  Answer detachVolume(String host, int port, String owner, String volumeId, String instanceId, String remoteDev,
      String localDev, boolean force) throws Exception;
}
