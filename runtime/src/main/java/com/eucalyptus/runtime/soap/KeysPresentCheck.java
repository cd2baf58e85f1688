package com.eucalyptus.runtime.soap;

import java.io.IOException;
import org.apache.axis2.AxisFault;
import org.apache.axis2.context.MessageContext;
import org.apache.axis2.description.AxisService;
import org.apache.axis2.handlers.AbstractHandler;

/**
 * Before Rampart looks at a request to a signed service: are this daemon's key files there? A
 * daemon may start before the CLC has made the keys (or before euca_conf --synckeys copied them);
 * until they appear each call is refused with a fault that says which file is missing, instead of
 * Rampart's "Error in loading crypto".
 */
public class KeysPresentCheck extends AbstractHandler {

  @Override
  public InvocationResponse invoke(MessageContext mc) throws AxisFault {
    AxisService service = mc.getAxisService();
    Object source = service == null ? null : service.getParameterValue(SignedMessageGuard.KEY_SOURCE_PARAMETER);
    if (source instanceof KeySource keys && mc.isServerSide()) {
      try {
        keys.current();
      } catch (IOException e) {
        throw new AxisFault("Message refused: this host's WS-Security keys are not available: " + e.getMessage());
      }
    }
    return InvocationResponse.CONTINUE;
  }
}
