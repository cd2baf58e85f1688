package com.eucalyptus.runtime.soap;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.UnsupportedCallbackException;
import org.apache.ws.security.WSPasswordCallback;

/** Gives Rampart the password of the in-memory key entry (see {@link PemCrypto}). */
public class InternalKeyPassword implements CallbackHandler {
  @Override
  public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
    for (Callback c : callbacks) {
      if (c instanceof WSPasswordCallback pc) {
        pc.setPassword(new String(PemCrypto.INTERNAL_PASSWORD));
      } else {
        throw new UnsupportedCallbackException(c);
      }
    }
  }
}
