package com.eucalyptus.runtime.soap;

import org.apache.axiom.soap.SOAPEnvelope;
import org.apache.axiom.soap.SOAPFault;
import org.apache.axis2.context.MessageContext;
import org.apache.axis2.handlers.AbstractHandler;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Writes one log line for every SOAP fault a daemon sends back, so a refusal by Rampart itself
 * (missing Security header, bad signature, expired Timestamp) is as visible in cc.log/nc.log as
 * the ones {@link SignedMessageGuard} makes.
 */
public class RefusalLogger extends AbstractHandler {
  private static final Logger LOG = LogManager.getLogger(RefusalLogger.class);

  @Override
  public InvocationResponse invoke(MessageContext mc) {
    String reason = "?";
    SOAPEnvelope env = mc.getEnvelope();
    SOAPFault fault = env == null || env.getBody() == null ? null : env.getBody().getFault();
    if (fault != null && fault.getReason() != null) {
      reason = fault.getReason().getText();
    } else if (mc.getFailureReason() != null) {
      reason = mc.getFailureReason().getMessage();
    }
    LOG.warn("SOAP fault returned to {} for {}: {}", mc.getProperty(MessageContext.REMOTE_ADDR),
        mc.getAxisService() == null ? mc.getTo() : mc.getAxisService().getName(), reason);
    return InvocationResponse.CONTINUE;
  }
}
