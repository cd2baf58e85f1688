package com.eucalyptus.runtime.soap;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import javax.xml.namespace.QName;
import org.apache.axis2.AxisFault;
import org.apache.axis2.context.ConfigurationContext;
import org.apache.axis2.description.AxisOperation;
import org.apache.axis2.description.AxisService;
import org.apache.axis2.description.HandlerDescription;
import org.apache.axis2.description.Parameter;
import org.apache.axis2.description.WSDL11ToAxisServiceBuilder;
import org.apache.axis2.engine.AxisConfiguration;
import org.apache.axis2.engine.Handler;
import org.apache.axis2.engine.MessageReceiver;
import org.apache.axis2.engine.Phase;
import org.apache.axis2.transport.http.SimpleHTTPServer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Serves WSDL-first services over HTTP at {@code http://host:port/axis2/services/<Name>}, signed
 * with WS-Security when a {@link KeySource} is given (ENABLE_WS_SECURITY="Y"): every request must
 * carry a valid signature by a trusted peer over Body and Timestamp, is refused if replayed, and
 * every reply is signed with the daemon's own key.
 */
public final class SoapServer {
  private static final Logger LOG = LogManager.getLogger(SoapServer.class);
  private final ConfigurationContext context;
  private final KeySource keys;
  private final int port;
  private final Duration maxSkew;
  private SimpleHTTPServer http;

  /** @param keys the daemon's keys and trusted peers, or null to serve unsigned (debugging only) */
  public SoapServer(int port, KeySource keys) throws AxisFault {
    this(port, keys, SecurityPolicies.MAX_CLOCK_SKEW);
  }

  /** As above, tolerating {@code maxSkew} of clock difference on received Timestamps. */
  public SoapServer(int port, KeySource keys, Duration maxSkew) throws AxisFault {
    this.port = port;
    this.keys = keys;
    this.maxSkew = maxSkew;
    this.context = Axis2Repository.newContext();
    List<Phase> in = context.getAxisConfiguration().getInFlowPhases();
    // first of all, so that its flowComplete sees every failed request
    addGlobalHandler(in, "Transport", true, new FaultLogger(), "FaultLogger");
    // after the Transport phase's dispatchers found the service, before Rampart (Security)
    addGlobalHandler(in, "Transport", false, new KeysPresentCheck(), "KeysPresentCheck");
    // right after Rampart verified the signature and Timestamp
    addGlobalHandler(in, "PreDispatch", false, new SignedMessageGuard(), "SignedMessageGuard");
  }

  /** Adds {@code handler} first or last in the global phase {@code phaseName} of {@code phases}. */
  static void addGlobalHandler(List<Phase> phases, String phaseName, boolean first, Handler handler, String name) {
    Phase target = phases.stream().filter(p -> p.getPhaseName().equals(phaseName)).findFirst()
        .orElseThrow(() -> new IllegalStateException("Axis2 phase " + phaseName + " not found"));
    HandlerDescription d = new HandlerDescription(name);
    d.setHandler(handler);
    handler.init(d);
    if (first) {
      target.addHandler(handler, 0);
    } else {
      target.addHandler(handler);
    }
  }

  /**
   * Deploys the service {@code serviceName} described by {@code wsdl} (a resource of common-wsdl),
   * each operation handled by {@code receiver} (a generated *MessageReceiverInOut bound to the
   * implementation).
   */
  public SoapServer addService(InputStream wsdl, String serviceName, MessageReceiver receiver) throws IOException {
    try (wsdl) {
      WSDL11ToAxisServiceBuilder builder = new WSDL11ToAxisServiceBuilder(wsdl,
          new QName("http://eucalyptus.ucsb.edu/", serviceName), serviceName + "SOAP11port_http");
      builder.setServerSide(true);
      AxisService service = builder.populateService();
      service.setName(serviceName);
      for (Iterator<AxisOperation> it = service.getOperations(); it.hasNext(); ) {
        it.next().setMessageReceiver(receiver);
      }
      AxisConfiguration config = context.getAxisConfiguration();
      config.addService(service);
      if (keys != null) {
        service.addParameter(new Parameter(SignedMessageGuard.KEY_SOURCE_PARAMETER, keys));
        service.getPolicySubject().attachPolicy(SecurityPolicies.signedBodyAndTimestamp(keys, SecurityPolicies.TIMESTAMP_TTL, maxSkew));
        service.engageModule(config.getModule("rampart"));
      }
      LOG.info("serving {} on port {} ({})", serviceName, port, keys == null ? "WS-Security OFF" : "signed, keys " + keys);
      return this;
    }
  }

  /**
   * Starts serving. Missing key files do not stop the daemon: it says so in its log, and refuses
   * signed calls with a fault naming the missing file until the files appear.
   */
  public void start() throws AxisFault {
    if (keys != null) {
      try {
        keys.current();
      } catch (IOException e) {
        LOG.error("WS-Security keys are not available yet: {}. Calls will be refused until they appear.", e.getMessage());
      }
    }
    http = new SimpleHTTPServer(context, port);
    http.start();
  }

  public void stop() {
    if (http != null) {
      http.stop();
    }
  }

  public int port() {
    return port;
  }
}
