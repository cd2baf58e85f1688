package com.eucalyptus.clc.console.web;

/** The one message a page shows in #message: an error or an information. */
public record Message(boolean error, String text) {
  public static Message error(String text) {
    return new Message(true, text);
  }

  public static Message info(String text) {
    return new Message(false, text);
  }
}
