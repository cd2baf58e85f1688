package com.eucalyptus.runtime.soap;

import org.apache.axis2.context.MessageContext;
import org.apache.axis2.handlers.AbstractHandler;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One log line for every request a daemon answers with a SOAP fault, saying why: a refusal by
 * Rampart (missing Security header, bad signature, expired Timestamp), by {@link SignedMessageGuard}
 * (replay, untrusted signer), by {@link KeysPresentCheck}, or an operation that failed. It sits
 * first in the in-flow, so Axis2 calls its {@link #flowComplete} with the failed request (its
 * service and remote address still known) once the flow ends.
 */
public class FaultLogger extends AbstractHandler {
  private static final Logger LOG = LogManager.getLogger(FaultLogger.class);

  @Override
  public InvocationResponse invoke(MessageContext mc) {
    return InvocationResponse.CONTINUE;
  }

  @Override
  public void flowComplete(MessageContext mc) {
    if (!mc.isServerSide() || mc.getFailureReason() == null) {
      return;
    }
    Exception e = mc.getFailureReason();
    String why = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    String op = mc.getAxisOperation() == null ? "" : "." + mc.getAxisOperation().getName().getLocalPart();
    String service = mc.getAxisService() == null ? String.valueOf(mc.getTo() == null ? "?" : mc.getTo().getAddress())
        : mc.getAxisService().getName();
    LOG.warn("SOAP fault to {} for {}{}: {}", mc.getProperty(MessageContext.REMOTE_ADDR), service, op, why);
  }
}
