package com.eucalyptus.runtime.soap;

import javax.xml.namespace.QName;
import org.apache.axiom.om.OMElement;
import org.apache.axiom.soap.SOAPEnvelope;
import org.apache.axiom.soap.SOAPFault;
import org.apache.axiom.soap.SOAPHeader;
import org.apache.axis2.AxisFault;
import org.apache.axis2.context.MessageContext;
import org.apache.axis2.handlers.AbstractHandler;
import org.apache.ws.security.WSConstants;

/**
 * Client side, before Rampart: a server that refuses a request (bad signature, replay, untrusted
 * signer, keys missing) answers with an unsigned SOAP fault (at most a Timestamp in its header), which a signing client's Rampart would
 * report only as "Missing wsse:Security header". This turns such a fault into an AxisFault carrying
 * the server's own reason. Nothing in an unsigned fault is trusted: it only ever ends the call in
 * an error, which is what it would do anyway.
 */
public class ServerFaultReporter extends AbstractHandler {
  private static final QName SECURITY = new QName(WSConstants.WSSE_NS, WSConstants.WSSE_LN);
  private static final QName SIGNATURE = new QName(WSConstants.SIG_NS, WSConstants.SIG_LN);

  @Override
  public InvocationResponse invoke(MessageContext mc) throws AxisFault {
    if (mc.isServerSide() || !mc.isEngaged("rampart")) {
      return InvocationResponse.CONTINUE;
    }
    SOAPEnvelope env = mc.getEnvelope();
    SOAPFault fault = env == null || env.getBody() == null ? null : env.getBody().getFault();
    if (fault == null) {
      return InvocationResponse.CONTINUE;
    }
    SOAPHeader header = env.getHeader();
    OMElement security = header == null ? null : header.getFirstChildWithName(SECURITY);
    if (security != null && security.getFirstChildWithName(SIGNATURE) != null) {
      return InvocationResponse.CONTINUE; // a signed fault: Rampart verifies it as any reply
    }
    AxisFault f = new AxisFault(fault.getCode(), fault.getReason(), fault.getNode(), fault.getRole(), fault.getDetail());
    throw f;
  }
}
