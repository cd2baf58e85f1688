package com.eucalyptus.clc.cluster;

import java.util.Set;

/**
 * A CC's refusal as the tier contract words it (docs/network.md): statusMessage "Code: message",
 * where Code is one of the EC2 error codes the CLC passes on to the user as they are.
 */
public record CcStatus(String code, String message) {
  /** The codes a CC may name; any other text is the CC's own wording, not an EC2 code. */
  public static final Set<String> CODES = Set.of("InvalidParameterCombination", "InsufficientAddressCapacity",
      "UnsupportedOperation", "InvalidAddress.NotFound", "InsufficientInstanceCapacity", "InvalidParameterValue",
      // the volume calls' (the CC passes on the node's): docs/storage.md
      "VolumeInUse", "IncorrectState", "IncorrectInstanceState", "InvalidAttachment.NotFound",
      "InvalidInstanceID.NotFound");

  /**
   * @param fallbackCode the EC2 code to use when the CC's text names none of {@link #CODES} (null:
   *     the caller words the refusal itself)
   * @return the code and the message without it; a CC that said nothing gets a message that says so
   */
  public static CcStatus parse(String statusMessage, String fallbackCode) {
    String text = statusMessage == null ? "" : statusMessage.trim();
    int colon = text.indexOf(':');
    if (colon > 0 && CODES.contains(text.substring(0, colon).trim())) {
      return new CcStatus(text.substring(0, colon).trim(), text.substring(colon + 1).trim());
    }
    return new CcStatus(fallbackCode, text.isEmpty() ? "the cluster refused without saying why" : text);
  }

  /** A refusal of the CC, to be answered to the user as the EC2 error {@code code}. */
  public static final class Refused extends RuntimeException {
    private final String code;

    public Refused(String code, String message) {
      super(message);
      this.code = code;
    }

    public Refused(CcStatus s) {
      this(s.code(), s.message());
    }

    public String code() {
      return code;
    }
  }
}
