package com.eucalyptus.runtime.soap;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.axis2.AxisFault;
import org.apache.axis2.client.Options;
import org.apache.axis2.client.ServiceClient;
import org.apache.axis2.client.Stub;
import org.apache.axis2.context.ConfigurationContext;
import org.apache.axis2.context.MessageContext;
import org.apache.axis2.context.OperationContext;
import org.apache.axis2.transport.http.HTTPConstants;
import org.apache.axis2.wsdl.WSDLConstants;
import org.apache.neethi.Policy;
import org.apache.rampart.RampartMessageData;

/**
 * Client side of a signed hop (CLC→CC, CC→NC): configures a generated ADB stub to sign its
 * requests and verify the replies, as in {@link SecurityPolicies}.
 * <pre>
 *   EucalyptusCCStub cc = SoapClients.secure(new EucalyptusCCStub(SoapClients.clientContext(), url), keys, timeout);
 * </pre>
 */
public final class SoapClients {
  private static ConfigurationContext context;
  /**
   * One parsed policy per key set (by value: callers may load the PEM files again for each call)
   * and TTL; stubs are made per call by some callers.
   */
  private static final Map<PolicyKey, Policy> POLICIES = new ConcurrentHashMap<>();

  private record PolicyKey(WsSecurityKeys keys, Duration ttl) {
  }

  private SoapClients() {
  }

  /** The shared client-side Axis2 context, with the rampart and addressing modules available. */
  public static synchronized ConfigurationContext clientContext() {
    if (context == null) {
      try {
        ConfigurationContext c = Axis2Repository.newContext();
        // a refusal comes back as an unsigned fault: report the server's reason, not Rampart's complaint
        SoapServer.addGlobalHandler(c.getAxisConfiguration().getInFaultFlowPhases(), "Transport", false,
            new ServerFaultReporter(), "ServerFaultReporter");
        context = c;
      } catch (AxisFault e) {
        throw new IllegalStateException("cannot create the Axis2 client context", e);
      }
    }
    return context;
  }

  /**
   * Signs {@code stub}'s requests with {@code keys} and verifies replies against its trusted peers;
   * {@code keys == null} means WS-Security is off (ENABLE_WS_SECURITY="N"). Sets the call timeout.
   */
  public static <T extends Stub> T secure(T stub, WsSecurityKeys keys, Duration timeout) {
    return secure(stub, keys, timeout, SecurityPolicies.TIMESTAMP_TTL);
  }

  /** As {@link #secure(Stub, WsSecurityKeys, Duration)}, with the Timestamp valid for {@code ttl}. */
  public static <T extends Stub> T secure(T stub, WsSecurityKeys keys, Duration timeout, Duration ttl) {
    ServiceClient client = stub._getServiceClient();
    Options options = client.getOptions();
    int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    options.setTimeOutInMilliSeconds(ms);
    options.setProperty(HTTPConstants.SO_TIMEOUT, ms);
    options.setProperty(HTTPConstants.CONNECTION_TIMEOUT, ms);
    if (keys != null) {
      try {
        client.engageModule("rampart");
      } catch (AxisFault e) {
        throw new IllegalStateException("the rampart module is not available", e);
      }
      options.setProperty(RampartMessageData.KEY_RAMPART_POLICY, policyFor(keys, ttl));
    }
    return stub;
  }

  private static Policy policyFor(WsSecurityKeys keys, Duration ttl) {
    return POLICIES.computeIfAbsent(new PolicyKey(keys, ttl),
        k -> SecurityPolicies.signedBodyAndTimestamp(KeySource.fixed(keys), ttl));
  }

  /** The certificate that signed the last reply {@code stub} received, or null if it was not signed. */
  public static X509Certificate lastReplySigner(Stub stub) {
    try {
      OperationContext oc = stub._getServiceClient().getLastOperationContext();
      MessageContext in = oc == null ? null : oc.getMessageContext(WSDLConstants.MESSAGE_LABEL_IN_VALUE);
      SecurityResults r = SecurityResults.of(in);
      return r == null ? null : r.signer();
    } catch (AxisFault e) {
      return null;
    }
  }
}
