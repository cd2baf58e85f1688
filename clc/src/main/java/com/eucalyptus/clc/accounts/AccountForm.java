package com.eucalyptus.clc.accounts;

import java.util.regex.Pattern;

/**
 * The guide's sign-up form (also the admin's "Add user" form and, without name and passwords, the
 * "Edit account information" form). Mandatory: user name, password twice, full name, e-mail;
 * optional: telephone, project leader, affiliation, project description.
 */
public record AccountForm(String username, String password, String password2, String realName, String email,
    String telephone, String projectLeader, String affiliation, String projectDescription) {
  public static final int MIN_PASSWORD = 6;
  private static final Pattern EMAIL = Pattern.compile("[^@\\s<>\"]+@[^@\\s<>\"]+");

  public AccountForm {
    username = trim(username);
    realName = trim(realName);
    email = trim(email);
    telephone = trim(telephone);
    projectLeader = trim(projectLeader);
    affiliation = trim(affiliation);
    projectDescription = projectDescription == null ? "" : projectDescription.strip();
    password = password == null ? "" : password;
    password2 = password2 == null ? "" : password2;
  }

  /** Checks a whole application; throws with the first problem found. */
  public void checkApplication() {
    if (!Accounts.validName(username)) {
      throw new AccountRefused("The user name may have 1 to 30 letters, digits, '.', '_' or '-', starting with a letter"
          + " or digit.");
    }
    if (Accounts.reservedName(username)) {
      throw new AccountRefused("The user name " + username + " is reserved for the system. Please choose another.");
    }
    checkPasswords(password, password2);
    checkProfile();
  }

  /** Checks the fields a user may edit later. */
  public void checkProfile() {
    if (realName.isEmpty()) {
      throw new AccountRefused("Please give your full name.");
    }
    checkEmail(email);
    for (String f : new String[] {realName, telephone, projectLeader, affiliation}) {
      if (f.length() > 256) {
        throw new AccountRefused("A field is longer than 256 characters.");
      }
    }
    if (projectDescription.length() > 2000) {
      throw new AccountRefused("The project description is longer than 2000 characters.");
    }
  }

  /** name@host, at most 256 characters (surrounding blanks ignored). */
  public static boolean validEmail(String email) {
    return email != null && email.length() <= 256 && EMAIL.matcher(email.trim()).matches();
  }

  public static void checkEmail(String email) {
    if (!validEmail(email)) {
      throw new AccountRefused("Please give a valid e-mail address (name@host).");
    }
  }

  public static void checkPasswords(String password, String again) {
    if (password == null || password.length() < MIN_PASSWORD) {
      throw new AccountRefused("The password must have at least " + MIN_PASSWORD + " characters.");
    }
    if (password.length() > 200) {
      throw new AccountRefused("The password is longer than 200 characters.");
    }
    if (!password.equals(again)) {
      throw new AccountRefused("The two passwords differ.");
    }
  }

  private static String trim(String s) {
    return s == null ? "" : s.strip();
  }
}
