package com.eucalyptus.clc.accounts;

import com.eucalyptus.clc.accounts.OneTimeCodes.Purpose;
import com.eucalyptus.clc.mail.Mailer;
import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.clc.persistence.UserEntity;
import com.eucalyptus.clc.persistence.UserProfileEntity;
import com.eucalyptus.clc.properties.SystemProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A user's life as the guide's user management describes it: apply, approval or rejection by
 * the administrator (by mailed links or the Users tab), confirmation by the applicant logging in
 * with the sign-up password, password recovery by mail, profile and password changes, disable,
 * enable and delete (refused while the user still owns things).
 *
 * <p>Methods that mail return the mail problem, if any: the action itself has happened.
 */
public final class AccountLifecycle {
  private static final Logger LOG = LogManager.getLogger(AccountLifecycle.class);
  static final Duration DECISION_LIFETIME = Duration.ofDays(14);
  static final Duration CONFIRM_LIFETIME = Duration.ofDays(14);
  static final Duration RECOVER_LIFETIME = Duration.ofHours(1);

  private final Database db;
  private final Accounts accounts;
  private final SystemProperties properties;
  private final OneTimeCodes codes;
  private final Mailer mailer;

  public AccountLifecycle(Database db, Accounts accounts, SystemProperties properties, Mailer mailer, Clock clock) {
    this.db = db;
    this.accounts = accounts;
    this.properties = properties;
    this.mailer = mailer;
    this.codes = new OneTimeCodes(db, clock);
  }

  /** Adds a check consulted before deleting a user (instances, buckets); see {@link Accounts#addDeletionCheck}. */
  public void addResourceCheck(UserResources check) {
    accounts.addDeletionCheck(check);
  }

  /** The sign-up is open once the administrator has given the address applications go to. */
  public boolean signUpOpen() {
    return !properties.get(SystemProperties.ADMIN_EMAIL).isBlank();
  }

  // ---- sign-up and the administrator's decision ----

  /** Stores an application (a pending user) and mails the administrator the accept and reject links. */
  public Optional<String> apply(AccountForm form, String consoleBase) {
    if (!signUpOpen()) {
      throw new AccountRefused("Applications are not open yet: the administrator has not finished the setup.");
    }
    form.checkApplication();
    create(form, false, false);
    LOG.info("account application from {} <{}>", form.username(), form.email());
    String approve = codes.issue(Purpose.APPROVE, form.username(), DECISION_LIFETIME);
    String reject = codes.issue(Purpose.REJECT, form.username(), DECISION_LIFETIME);
    String body = "Someone has applied for a Eucalyptus account:\n\n" + describe(form)
        + "\nNobody has checked who sent this. To accept the applicant, open\n\n"
        + "Accept: " + link(consoleBase, "approve", approve) + "\n\nTo reject the application, open\n\n"
        + "Reject: " + link(consoleBase, "reject", reject) + "\n";
    return mail(properties.get(SystemProperties.ADMIN_EMAIL), "Eucalyptus account application: " + form.username(), body);
  }

  /** The administrator adds a user: approved at once, active once they confirm through the mailed link. */
  public Optional<String> addByAdmin(AccountForm form, boolean admin, String consoleBase) {
    form.checkApplication();
    create(form, true, admin);
    LOG.info("the administrator added user {}", form.username());
    return mailApproval(form.username(), consoleBase);
  }

  /** Who a mailed approve or reject code is for, without using it. */
  public Optional<Account> applicationFor(String code, Purpose purpose) {
    return codes.peek(code, purpose).flatMap(this::find).filter(a -> a.status() == Account.Status.PENDING);
  }

  /** Approves through the mailed link; returns the user and the mail problem, if any. */
  public Decision approve(String code, String consoleBase) {
    String user = codes.consume(code, Purpose.APPROVE).orElseThrow(AccountLifecycle::invalidLink);
    return new Decision(user, approveByName(user, consoleBase));
  }

  /** Rejects through the mailed link. */
  public Decision reject(String code) {
    String user = codes.consume(code, Purpose.REJECT).orElseThrow(AccountLifecycle::invalidLink);
    return new Decision(user, rejectByName(user));
  }

  /** The result of a decision: whose, and whether the applicant could be told. */
  public record Decision(String user, Optional<String> mailProblem) {
  }

  public Optional<String> approveByName(String user, String consoleBase) {
    boolean changed = db.tx(s -> {
      UserProfileEntity p = s.find(UserProfileEntity.class, user);
      if (p == null || p.approved || s.find(UserEntity.class, user) == null) {
        return false;
      }
      p.approved = true;
      return true;
    });
    if (!changed) {
      throw new AccountRefused("There is no pending application of " + user + ".");
    }
    codes.revoke(user, Purpose.APPROVE, Purpose.REJECT);
    LOG.info("the application of {} was approved", user);
    return mailApproval(user, consoleBase);
  }

  public Optional<String> rejectByName(String user) {
    Account a = find(user).filter(x -> x.status() == Account.Status.PENDING)
        .orElseThrow(() -> new AccountRefused("There is no pending application of " + user + "."));
    accounts.delete(user);
    LOG.info("the application of {} was rejected", user);
    return mail(a.email(), "Your Eucalyptus account application was rejected",
        "Dear " + a.realName() + ",\n\nyour application for the Eucalyptus account \"" + user
            + "\" was not accepted by the administrator.\n\nIf you never requested a Eucalyptus account, please disregard"
            + " this message.\n");
  }

  private Optional<String> mailApproval(String user, String consoleBase) {
    Account a = find(user).orElseThrow();
    codes.revoke(user, Purpose.CONFIRM);
    String confirm = codes.issue(Purpose.CONFIRM, user, CONFIRM_LIFETIME);
    return mail(a.email(), "Your Eucalyptus account was approved",
        "Your Eucalyptus account was approved! Please, click on the following link to log into the system (with the"
            + " login and password that you've chosen when signing up) and confirm your account:\n\n"
            + link(consoleBase, "confirm", confirm) + "\n\n"
            + "However, if you never requested a Eucalyptus account then, please, disregard this message.\n");
  }

  /**
   * Activates an approved account: the code must be this user's and the password the one chosen
   * at sign-up (so only someone who reads that mailbox and knows the password can).
   */
  public Account confirm(String code, String user, String password) {
    String owner = codes.peek(code, Purpose.CONFIRM).orElseThrow(AccountLifecycle::invalidLink);
    if (!owner.equals(user)) {
      throw invalidLink();
    }
    if (!passwordMatches(user, password)) {
      throw new AccountRefused("Wrong user name or password.");
    }
    codes.consume(code, Purpose.CONFIRM).orElseThrow(AccountLifecycle::invalidLink);
    db.tx(s -> {
      s.find(UserEntity.class, user).confirmed = true;
      return null;
    });
    LOG.info("user {} confirmed the account", user);
    return find(user).orElseThrow();
  }

  /** Whether a confirmation code is valid now (to show its form). */
  public boolean confirmCodeValid(String code) {
    return codes.peek(code, Purpose.CONFIRM).isPresent();
  }

  // ---- logging in and passwords ----

  /** What a login attempt found. */
  public enum LoginOutcome { OK, WRONG, NOT_CONFIRMED, DISABLED }

  /** Checks a password; says why an account with the right password still may not log in. */
  public LoginOutcome login(String user, String password) {
    if (!passwordMatches(user, password)) {
      return LoginOutcome.WRONG;
    }
    Account a = find(user).orElseThrow();
    return switch (a.status()) {
      case ACTIVE -> LoginOutcome.OK;
      case DISABLED -> LoginOutcome.DISABLED;
      default -> LoginOutcome.NOT_CONFIRMED;
    };
  }

  public boolean passwordMatches(String user, String password) {
    if (user == null || password == null || !Accounts.validName(user)) {
      PasswordHash.matches("x", DUMMY_HASH); // same work whether or not the user exists
      return false;
    }
    String hash = db.tx(s -> {
      UserEntity u = s.find(UserEntity.class, user);
      return u == null ? null : u.passwordHash;
    });
    if (hash == null) {
      PasswordHash.matches("x", DUMMY_HASH);
      return false;
    }
    boolean ok = PasswordHash.matches(password, hash);
    if (ok && PasswordHash.needsRehash(hash)) {
      setPassword(user, password);
    }
    return ok;
  }

  private static final String DUMMY_HASH = PasswordHash.hash("not a password");

  /**
   * Mails a recovery link if the name and address belong to one account; says nothing either
   * way, so the form does not tell which users exist.
   */
  public Optional<String> requestRecovery(String user, String email, String consoleBase) {
    Optional<Account> a = find(user == null ? "" : user.strip())
        .filter(x -> x.email().equalsIgnoreCase(email == null ? "" : email.strip()) && !x.email().isBlank())
        .filter(x -> x.status() != Account.Status.PENDING);
    if (a.isEmpty()) {
      LOG.info("password recovery asked for an unknown user or address");
      return Optional.empty();
    }
    codes.revoke(a.get().name(), Purpose.RECOVER);
    String code = codes.issue(Purpose.RECOVER, a.get().name(), RECOVER_LIFETIME);
    LOG.info("password recovery link mailed to user {}", a.get().name());
    return mail(a.get().email(), "Eucalyptus password recovery",
        "Someone (probably you) asked to set a new password for the Eucalyptus account \"" + a.get().name()
            + "\". To do so, open this link within an hour:\n\n" + link(consoleBase, "recover", code)
            + "\n\nIf you did not ask for this, please disregard this message; your password stays as it is.\n");
  }

  /** Whether a recovery code is valid (to show the form). */
  public Optional<String> recoveryUser(String code) {
    return codes.peek(code, Purpose.RECOVER);
  }

  public String resetPassword(String code, String password, String again) {
    codes.peek(code, Purpose.RECOVER).orElseThrow(AccountLifecycle::invalidLink);
    AccountForm.checkPasswords(password, again);
    String user = codes.consume(code, Purpose.RECOVER).orElseThrow(AccountLifecycle::invalidLink);
    setPassword(user, password);
    LOG.info("user {} set a new password through the recovery link", user);
    return user;
  }

  public void changePassword(String user, String oldPassword, String password, String again) {
    if (!passwordMatches(user, oldPassword)) {
      throw new AccountRefused("The current password is wrong.");
    }
    AccountForm.checkPasswords(password, again);
    setPassword(user, password);
    LOG.info("user {} changed the password", user);
  }

  /** First-time setup of the administrator: new password, e-mail address (opens the sign-up), Walrus URL. */
  public void completeSetup(String admin, String password, String again, String email, String walrusUrl) {
    if ("admin".equals(password)) {
      throw new AccountRefused("Please choose a password other than the default one.");
    }
    AccountForm.checkPasswords(password, again);
    AccountForm.checkEmail(email);
    String base = WalrusUrl.cloudBase(walrusUrl);
    setPassword(admin, password);
    db.tx(s -> {
      s.find(UserEntity.class, admin).email = email.strip();
      return null;
    });
    properties.set(SystemProperties.CLOUD_URL, base);
    properties.set(SystemProperties.ADMIN_EMAIL, email.strip());
    LOG.info("first-time setup done by {}: Walrus at {}", admin, walrusUrl.strip());
  }

  /** Whether this administrator still has the first-time tasks to do. */
  public boolean setupNeeded(String user, String passwordJustUsed) {
    Account a = find(user).orElse(null);
    return a != null && a.admin() && (!signUpOpen() || "admin".equals(passwordJustUsed));
  }

  private void setPassword(String user, String password) {
    String hash = PasswordHash.hash(password);
    db.tx(s -> {
      s.find(UserEntity.class, user).passwordHash = hash;
      return null;
    });
  }

  // ---- profile, administration ----

  public Optional<Account> find(String user) {
    if (!Accounts.validName(user)) {
      return Optional.empty();
    }
    return db.tx(s -> Optional.ofNullable(s.find(UserEntity.class, user))
        .map(u -> toAccount(u, s.find(UserProfileEntity.class, user))));
  }

  public List<Account> list() {
    return db.tx(s -> {
      List<Account> out = new ArrayList<>();
      for (UserEntity u : s.createQuery("from UserEntity order by name", UserEntity.class).getResultList()) {
        out.add(toAccount(u, s.find(UserProfileEntity.class, u.name)));
      }
      return out;
    });
  }

  /** Saves the editable sign-up information (the name and password are not part of it). */
  public void updateProfile(String user, AccountForm form) {
    form.checkProfile();
    db.tx(s -> {
      UserEntity u = s.find(UserEntity.class, user);
      u.email = form.email();
      UserProfileEntity p = s.find(UserProfileEntity.class, user);
      if (p == null) {
        p = new UserProfileEntity();
        p.name = user;
        p.approved = true;
        s.persist(p);
      }
      copy(form, p);
      return null;
    });
    LOG.info("user {} edited the account information", user);
  }

  public void setEnabled(String acting, String user, boolean enabled) {
    if (acting.equals(user) && !enabled) {
      throw new AccountRefused("You cannot disable your own account.");
    }
    if (!accounts.setEnabled(user, enabled)) {
      throw new AccountRefused("There is no user " + user + ".");
    }
    LOG.info("{} {} user {}", acting, enabled ? "enabled" : "disabled", user);
  }

  /** Everything that stops the deletion of {@code user}; empty when it may go. */
  public List<String> whatBlocksDeletion(String user) {
    return accounts.whatBlocksDeletion(user);
  }

  public void delete(String acting, String user) {
    if (acting.equals(user)) {
      throw new AccountRefused("You cannot delete your own account.");
    }
    if (find(user).isEmpty()) {
      throw new AccountRefused("There is no user " + user + ".");
    }
    List<String> blockers = whatBlocksDeletion(user);
    if (!blockers.isEmpty()) {
      throw new AccountRefused("User " + user + " cannot be deleted: " + String.join(", ", blockers) + ".");
    }
    accounts.delete(user);
    LOG.info("{} deleted user {}", acting, user);
  }

  // ---- helpers ----

  private void create(AccountForm form, boolean approved, boolean admin) {
    if (accounts.add(form.username(), form.email(), admin, form.password(), false).isEmpty()) {
      throw new AccountRefused("The user name " + form.username() + " is already taken.");
    }
    db.tx(s -> {
      UserProfileEntity p = s.find(UserProfileEntity.class, form.username());
      if (p == null) {
        p = new UserProfileEntity();
        p.name = form.username();
        s.persist(p);
      }
      copy(form, p);
      p.approved = approved;
      p.appliedMillis = System.currentTimeMillis();
      return null;
    });
  }

  private static void copy(AccountForm f, UserProfileEntity p) {
    p.realName = f.realName();
    p.telephone = f.telephone();
    p.projectLeader = f.projectLeader();
    p.affiliation = f.affiliation();
    p.projectDescription = f.projectDescription();
  }

  private static Account toAccount(UserEntity u, UserProfileEntity p) {
    Account.Status status;
    if (p != null && !p.approved) {
      status = Account.Status.PENDING;
    } else if (!u.enabled) {
      status = Account.Status.DISABLED;
    } else if (!u.confirmed) {
      status = Account.Status.UNCONFIRMED;
    } else {
      status = Account.Status.ACTIVE;
    }
    return new Account(u.name, n(u.email), u.admin, status, p == null ? "" : n(p.realName), p == null ? "" : n(p.telephone),
        p == null ? "" : n(p.projectLeader), p == null ? "" : n(p.affiliation), p == null ? "" : n(p.projectDescription),
        u.accessKey, u.secretKey);
  }

  private static String n(String s) {
    return s == null ? "" : s;
  }

  private static String describe(AccountForm f) {
    return "User name:           " + f.username() + "\nFull name:           " + f.realName()
        + "\nE-mail address:      " + f.email() + "\nTelephone number:    " + f.telephone()
        + "\nProject leader:      " + f.projectLeader() + "\nAffiliation:         " + f.affiliation()
        + "\nProject description: " + f.projectDescription() + "\n";
  }

  static String link(String consoleBase, String action, String code) {
    return consoleBase + "/?action=" + action + "&code=" + code;
  }

  private Optional<String> mail(String to, String subject, String body) {
    if (to == null || to.isBlank()) {
      LOG.error("mail \"{}\" not sent: no address", subject);
      return Optional.of("no e-mail address is known");
    }
    try {
      mailer.send(to, subject, body);
      return Optional.empty();
    } catch (Mailer.MailFailure e) {
      return Optional.of(e.getMessage());
    }
  }

  private static AccountRefused invalidLink() {
    return new AccountRefused("This link is not valid (unknown, used or expired).");
  }
}
