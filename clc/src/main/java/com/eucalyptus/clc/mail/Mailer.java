package com.eucalyptus.clc.mail;

/** Sends plain-text mail; the console's only way out to people. */
public interface Mailer {
  /** @throws MailFailure when the message could not be handed to the SMTP server */
  void send(String to, String subject, String body) throws MailFailure;

  /** Why a message could not be sent, in words an administrator can act on (no secrets). */
  final class MailFailure extends Exception {
    public MailFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
