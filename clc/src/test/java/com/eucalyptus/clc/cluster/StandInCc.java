package com.eucalyptus.clc.cluster;

import com.eucalyptus.runtime.soap.SoapServer;
import com.eucalyptus.wsdl.cc.EucalyptusCCMessageReceiverInOut;
import com.eucalyptus.wsdl.cc.EucalyptusCCSkeleton;
import com.eucalyptus.wsdl.cc.EucalyptusCCStub;
import com.eucalyptus.wsdl.cc.types.EucalyptusMessage;
import java.net.ServerSocket;
import org.apache.axis2.context.MessageContext;

/**
 * A test's EucalyptusCC stand-in (its own skeleton) served over real SOAP (Axis2, the WSDL's
 * types), unsigned, on a free port of this host: what the SoapClusterClient tests call.
 */
final class StandInCc implements AutoCloseable {
  final int port;
  private final SoapServer server;

  StandInCc(EucalyptusCCSkeleton cc) throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    server = new SoapServer(port, null);
    server.addService(EucalyptusCCStub.class.getResourceAsStream("/wsdl/eucalyptus_cc.wsdl"), "EucalyptusCC",
        new EucalyptusCCMessageReceiverInOut() {
          @Override
          protected Object getTheImplementationObject(MessageContext mc) {
            return cc;
          }
        });
    server.start();
  }

  /** Fills what every answer carries: correlation, user, return and, when given, statusMessage. */
  static void answer(EucalyptusMessage t, boolean ok, String message) {
    t.setCorrelationId("c");
    t.setUserId("eucalyptus");
    t.set_return(ok);
    if (message != null) {
      t.setStatusMessage(message);
    }
  }

  @Override
  public void close() {
    server.stop();
  }
}
