package com.eucalyptus.itests.bench;

import com.eucalyptus.itests.support.CloudInstallation;
import com.eucalyptus.itests.support.CloudInstallation.Credentials;
import com.eucalyptus.itests.support.QuerySigner;
import com.eucalyptus.itests.support.VerboseZoneView;
import com.eucalyptus.itests.support.Ec2Clients;
import com.eucalyptus.runtime.soap.SoapClients;
import com.eucalyptus.runtime.soap.WsSecurityKeys;
import com.eucalyptus.wsdl.cc.EucalyptusCCStub;
import com.eucalyptus.wsdl.cc.types.DescribeResources;
import com.eucalyptus.wsdl.cc.types.DescribeResourcesType;
import com.eucalyptus.wsdl.cc.types.VirtualMachineType;
import com.eucalyptus.wsdl.nc.EucalyptusNCStub;
import com.eucalyptus.wsdl.nc.types.NcDescribeResource;
import com.eucalyptus.wsdl.nc.types.NcDescribeResourceType;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Latency of the Foundation's paths against real daemons started from the init.d scripts.
 * Run by bench/run; prints one line per path.
 */
public final class LatencyBench {
  private static final String EC2 = "http://127.0.0.1:8773/services/Eucalyptus";

  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int warmup = Math.max(20, iterations / 10);
    try (CloudInstallation cloud = CloudInstallation.install("bench", Map.of("LOGLEVEL", "INFO"))) {
      cloud.startAll();
      cloud.registerClusterAndNode();
      Credentials admin = CloudInstallation.readEucarc(cloud.credentials("admin"));
      VerboseZoneView.awaitReady("cluster1", () -> VerboseZoneView.parseTabbed(
          Ec2Clients.boto(EC2, admin, "2", "zones", "verbose").assertOk().stdout()));

      System.out.println(queryApi(admin, warmup, iterations).report("EC2 Query DescribeAvailabilityZones (v2)"));
      System.out.println(queryApiVerbose(admin, warmup, iterations).report("EC2 Query DescribeAvailabilityZones verbose"));

      WsSecurityKeys clc = WsSecurityKeys.load(cloud.keysDir(), "cloud-pk.pem", "cloud-cert.pem", "cluster-cert.pem");
      EucalyptusCCStub cc = SoapClients.secure(new EucalyptusCCStub(SoapClients.clientContext(),
          "http://127.0.0.1:8774/axis2/services/EucalyptusCC"), clc, Duration.ofSeconds(30));
      System.out.println(measure(warmup, iterations, () -> cc.describeResources(describeResources()))
          .report("signed SOAP CLC->CC->NC DescribeResources"));

      WsSecurityKeys ccKeys = WsSecurityKeys.load(cloud.keysDir(), "cluster-pk.pem", "cluster-cert.pem", "node-cert.pem");
      EucalyptusNCStub nc = SoapClients.secure(new EucalyptusNCStub(SoapClients.clientContext(),
          "http://127.0.0.1:8775/axis2/services/EucalyptusNC"), ccKeys, Duration.ofSeconds(30));
      System.out.println(measure(warmup, iterations, () -> nc.ncDescribeResource(ncDescribeResource()))
          .report("signed SOAP CC->NC ncDescribeResource"));
    }
  }

  interface Call {
    void run() throws Exception;
  }

  static Percentiles measure(int warmup, int iterations, Call call) throws Exception {
    for (int i = 0; i < warmup; i++) {
      call.run();
    }
    Percentiles p = new Percentiles(iterations);
    for (int i = 0; i < iterations; i++) {
      long t0 = System.nanoTime();
      call.run();
      p.add(System.nanoTime() - t0);
    }
    return p;
  }

  static Percentiles queryApi(Credentials admin, int warmup, int iterations) throws Exception {
    return measure(warmup, iterations, () -> expectOk(QuerySigner.get(EC2, QuerySigner.signV2("127.0.0.1:8773",
        "/services/Eucalyptus", admin.accessKey(), admin.secretKey(), Map.of("Action", "DescribeAvailabilityZones"),
        Instant.now()))));
  }

  static Percentiles queryApiVerbose(Credentials admin, int warmup, int iterations) throws Exception {
    return measure(warmup, iterations, () -> expectOk(QuerySigner.get(EC2, QuerySigner.signV2("127.0.0.1:8773",
        "/services/Eucalyptus", admin.accessKey(), admin.secretKey(),
        Map.of("Action", "DescribeAvailabilityZones", "ZoneName.1", "verbose"), Instant.now()))));
  }

  private static void expectOk(java.net.http.HttpResponse<String> r) {
    if (r.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
    }
  }

  public static DescribeResources describeResources() {
    DescribeResourcesType t = new DescribeResourcesType();
    t.setCorrelationId("bench");
    t.setUserId("admin");
    for (Object[] vm : VerboseZoneView.VM_TYPES) {
      VirtualMachineType v = new VirtualMachineType();
      v.setName((String) vm[0]);
      v.setCores((int) vm[1]);
      v.setMemory((int) vm[2]);
      v.setDisk((int) vm[3]);
      t.addInstanceTypes(v);
    }
    DescribeResources req = new DescribeResources();
    req.setDescribeResources(t);
    return req;
  }

  public static NcDescribeResource ncDescribeResource() {
    NcDescribeResourceType t = new NcDescribeResourceType();
    t.setCorrelationId("bench");
    t.setUserId("admin");
    NcDescribeResource req = new NcDescribeResource();
    req.setNcDescribeResource(t);
    return req;
  }
}
