package com.eucalyptus.clc.accounts;

import com.eucalyptus.clc.persistence.AddressEntity;
import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.clc.persistence.UserEntity;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Optional;
import java.util.regex.Pattern;

/** The cloud's users: created, looked up by access key on every request, disabled, deleted. */
public final class Accounts {
  /** Letters, digits and . _ - ; 1 to 30 characters, starting with a letter or digit. */
  private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,29}");
  private static final String KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final String SECRET_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Database db;
  private final List<UserResources> deletionChecks = new CopyOnWriteArrayList<>();

  public Accounts(Database db) {
    this.db = db;
  }

  /**
   * Adds a check consulted before a user is deleted, by the console and by the DeleteUser admin
   * action alike (Walrus: non-empty buckets; the instance registry: running instances).
   */
  public void addDeletionCheck(UserResources check) {
    deletionChecks.add(check);
  }

  /** Everything that stops the deletion of {@code name}, one phrase each; empty when it may go. */
  public List<String> whatBlocksDeletion(String name) {
    List<String> out = new ArrayList<>();
    for (UserResources r : deletionChecks) {
      out.addAll(r.whatBlocksDeletion(name));
    }
    return out;
  }

  /**
   * A copy of a user's row, safe to use outside a transaction. {@code enabled} means "may use the
   * cloud": not disabled by the administrator and confirmed (a sign-up still pending approval or
   * confirmation has keys that do not work yet).
   */
  public record User(String name, String email, boolean admin, boolean enabled, String accessKey, String secretKey) {
    static User of(UserEntity e) {
      return new User(e.name, e.email == null ? "" : e.email, e.admin, e.enabled && e.confirmed, e.accessKey,
          e.secretKey);
    }
  }

  /**
   * The name no user may take: it marks the system's public addresses (those given at launch or
   * kept for launches, {@link AddressEntity#SYSTEM}), and the address pool tells them from a
   * user's by the owner's name. User names are case-sensitive (as that comparison is), so only
   * this exact spelling is reserved.
   */
  public static final String RESERVED_NAME = AddressEntity.SYSTEM;

  /** The form of a user name; says nothing of {@link #RESERVED_NAME} (an existing such user can still be looked up). */
  public static boolean validName(String name) {
    return name != null && USER_NAME.matcher(name).matches();
  }

  /** True for the name that may never be given to a new user. */
  public static boolean reservedName(String name) {
    return RESERVED_NAME.equals(name);
  }

  /** Creates an enabled, confirmed user with new query keys; empty if the name is taken. */
  public Optional<User> add(String name, String email, boolean admin, String password) {
    return add(name, email, admin, password, true);
  }

  /**
   * Creates a user with new query keys; empty if the name is taken. An unconfirmed user (a
   * console sign-up) exists but cannot use the cloud until confirmed.
   */
  public Optional<User> add(String name, String email, boolean admin, String password, boolean confirmed) {
    if (!validName(name)) {
      throw new IllegalArgumentException("user name must be 1-30 letters, digits, '.', '_' or '-'");
    }
    if (reservedName(name)) {
      throw new IllegalArgumentException("user name " + name + " is reserved for the system");
    }
    return db.tx(s -> {
      if (s.find(UserEntity.class, name) != null) {
        return Optional.<User>empty();
      }
      UserEntity u = new UserEntity();
      u.name = name;
      u.email = email;
      u.admin = admin;
      u.enabled = true;
      u.confirmed = confirmed;
      u.accessKey = random(KEY_CHARS, 20);
      u.secretKey = random(SECRET_CHARS, 40);
      u.passwordHash = password == null ? null : PasswordHash.hash(password);
      s.persist(u);
      return Optional.of(User.of(u));
    });
  }

  public Optional<User> find(String name) {
    return db.tx(s -> Optional.ofNullable(s.find(UserEntity.class, name)).map(User::of));
  }

  public Optional<User> findByAccessKey(String accessKey) {
    return db.tx(s -> s.createQuery("from UserEntity where accessKey = :k", UserEntity.class).setParameter("k", accessKey)
        .getResultStream().findFirst().map(User::of));
  }

  /** Why a user's keys are refused (see {@link #refusal}). */
  public enum Refusal { DISABLED, NOT_CONFIRMED }

  /**
   * Why the user holding {@code accessKey} may not use the cloud now; empty when no user holds
   * the key (never issued, or the user was deleted) or the user may. Disabled wins over not
   * confirmed.
   */
  public Optional<Refusal> refusal(String accessKey) {
    return db.tx(s -> s.createQuery("from UserEntity where accessKey = :k", UserEntity.class).setParameter("k", accessKey)
        .getResultStream().findFirst().map(e -> !e.enabled ? Refusal.DISABLED : !e.confirmed ? Refusal.NOT_CONFIRMED : null));
  }

  public List<User> list() {
    return db.tx(s -> s.createQuery("from UserEntity order by name", UserEntity.class).getResultList().stream()
        .map(User::of).toList());
  }

  /** @return false when there is no such user */
  public boolean setEnabled(String name, boolean enabled) {
    return db.tx(s -> {
      UserEntity u = s.find(UserEntity.class, name);
      if (u == null) {
        return false;
      }
      u.enabled = enabled;
      return true;
    });
  }

  /** @return false when there is no such user */
  public boolean delete(String name) {
    return db.tx(s -> {
      UserEntity u = s.find(UserEntity.class, name);
      if (u == null) {
        return false;
      }
      s.remove(u);
      // what the console kept about the user goes with them (a new user of that name starts afresh)
      s.createMutationQuery("delete from UserProfileEntity where name = :n").setParameter("n", name).executeUpdate();
      s.createMutationQuery("delete from OneTimeCodeEntity where userName = :n").setParameter("n", name).executeUpdate();
      return true;
    });
  }

  private static String random(String alphabet, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
