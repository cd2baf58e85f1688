package com.eucalyptus.clc.accounts;

import java.util.List;

/**
 * Something a user may own that must be gone before the user can be deleted (running instances,
 * non-empty buckets). Each service that keeps such things registers one with
 * {@link Accounts#addDeletionCheck} at start; the console and the DeleteUser admin
 * action both refuse while any check reports something.
 */
@FunctionalInterface
public interface UserResources {
  /** What stops {@code user} from being deleted, one phrase each ("owns the non-empty bucket b1"); empty if nothing. */
  List<String> whatBlocksDeletion(String user);
}
