package com.eucalyptus.clc.cluster;

import java.security.cert.X509Certificate;
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
}
