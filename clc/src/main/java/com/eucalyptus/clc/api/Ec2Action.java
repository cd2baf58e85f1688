package com.eucalyptus.clc.api;

import com.eucalyptus.clc.accounts.Accounts;

/** One EC2 Query action: writes the inside of its {@code <ActionResponse>} element. */
public interface Ec2Action {
  String name();

  /** Admin-only actions are refused to other users before {@link #handle} runs. */
  default boolean adminOnly() {
    return false;
  }

  void handle(QueryRequest request, Accounts.User caller, Xml out) throws Exception;
}
