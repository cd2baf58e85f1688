package com.eucalyptus.clc.api.actions;

import com.eucalyptus.clc.accounts.Accounts;
import com.eucalyptus.clc.api.Ec2Action;
import com.eucalyptus.clc.api.QueryRequest;
import com.eucalyptus.clc.api.Xml;

/** An action made of a name, whether only admins may call it, and its handler. */
record SimpleAction(String name, boolean adminOnly, Handler handler) implements Ec2Action {
  interface Handler {
    void handle(QueryRequest request, Accounts.User caller, Xml out) throws Exception;
  }

  @Override
  public void handle(QueryRequest request, Accounts.User caller, Xml out) throws Exception {
    handler.handle(request, caller, out);
  }
}
