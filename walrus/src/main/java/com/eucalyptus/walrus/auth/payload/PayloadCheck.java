package com.eucalyptus.walrus.auth.payload;

import com.eucalyptus.walrus.auth.PayloadVerificationException;

/** Something checked over the decoded object bytes, once they have all been read. */
public interface PayloadCheck {
  void update(byte[] b, int off, int len);

  /** Called at end of stream. */
  void verify() throws PayloadVerificationException;
}
