package com.eucalyptus.walrus.metadata;

import java.util.function.Function;
import org.hibernate.Session;

/**
 * Runs work in one database transaction: committed when it returns, rolled back when it throws.
 * The CLC's Database implements it, so Walrus keeps its metadata in the CLC database without
 * depending on the CLC.
 */
public interface Transactions {
  <T> T tx(Function<Session, T> work);
}
