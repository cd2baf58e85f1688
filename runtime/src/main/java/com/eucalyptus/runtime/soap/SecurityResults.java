package com.eucalyptus.runtime.soap;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.apache.axis2.context.MessageContext;
import org.apache.ws.security.WSConstants;
import org.apache.ws.security.WSSecurityEngineResult;
import org.apache.ws.security.handler.WSHandlerConstants;
import org.apache.ws.security.handler.WSHandlerResult;
import org.apache.ws.security.message.token.Timestamp;

/** What WS-Security verification found in one received message: who signed it, and until when it is valid. */
public record SecurityResults(X509Certificate signer, byte[] signatureValue, Date expires) {

  /** The results Rampart left on {@code mc}, or null when the message carried no verified signature. */
  public static SecurityResults of(MessageContext mc) {
    Object raw = mc == null ? null : mc.getProperty(WSHandlerConstants.RECV_RESULTS);
    if (!(raw instanceof List<?> handlerResults)) {
      return null;
    }
    X509Certificate signer = null;
    byte[] signature = null;
    Date expires = null;
    for (Object hr : handlerResults) {
      if (!(hr instanceof WSHandlerResult whr)) {
        continue;
      }
      for (WSSecurityEngineResult r : new ArrayList<>(whr.getResults())) {
        int action = (Integer) r.get(WSSecurityEngineResult.TAG_ACTION);
        if (action == WSConstants.SIGN && signer == null) {
          signer = (X509Certificate) r.get(WSSecurityEngineResult.TAG_X509_CERTIFICATE);
          signature = (byte[]) r.get(WSSecurityEngineResult.TAG_SIGNATURE_VALUE);
        } else if (action == WSConstants.TS) {
          Timestamp ts = (Timestamp) r.get(WSSecurityEngineResult.TAG_TIMESTAMP);
          expires = ts == null ? null : ts.getExpires();
        }
      }
    }
    return signer == null ? null : new SecurityResults(signer, signature, expires);
  }
}
