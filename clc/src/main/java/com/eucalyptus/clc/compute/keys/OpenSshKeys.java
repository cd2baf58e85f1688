package com.eucalyptus.clc.compute.keys;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

/** OpenSSH public-key lines ("ssh-rsa AAAA... comment") and the fingerprints EC2 shows for keys. */
public final class OpenSshKeys {
  private static final Set<String> KEY_TYPES = Set.of("ssh-rsa", "ssh-ed25519", "ssh-dss", "ecdsa-sha2-nistp256",
      "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521");

  private OpenSshKeys() {
  }

  /** A parsed public-key line: its type, the decoded blob, and the line to store (type + blob + name). */
  public record PublicKeyLine(String type, byte[] blob) {
    public String line(String comment) {
      return type + " " + Base64.getEncoder().encodeToString(blob) + " " + comment;
    }

    /** EC2's fingerprint of an imported key: MD5 of the key blob, colon-separated hex. */
    public String md5Fingerprint() {
      return colonHex(digest("MD5", blob));
    }
  }

  public static PublicKeyLine of(RSAPublicKey key) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writeString(out, "ssh-rsa".getBytes(StandardCharsets.US_ASCII));
      writeString(out, key.getPublicExponent().toByteArray());
      writeString(out, key.getModulus().toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new PublicKeyLine("ssh-rsa", bytes.toByteArray());
  }

  /**
   * Parses what a user imports: an OpenSSH public-key line. The blob must decode and name the same
   * type as the line, so that garbage never reaches an instance's authorized_keys.
   *
   * @throws IllegalArgumentException with a message for the user
   */
  public static PublicKeyLine parse(String text) {
    String[] parts = text.trim().split("\\s+");
    if (parts.length < 2 || !KEY_TYPES.contains(parts[0])) {
      throw new IllegalArgumentException("not an OpenSSH public key (expected e.g. 'ssh-rsa AAAA... comment')");
    }
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(parts[1]);
      ByteBuffer b = ByteBuffer.wrap(blob);
      int n = b.getInt();
      if (n < 0 || n > b.remaining()) {
        throw new IllegalArgumentException();
      }
      byte[] type = new byte[n];
      b.get(type);
      if (!new String(type, StandardCharsets.US_ASCII).equals(parts[0]) || !b.hasRemaining()) {
        throw new IllegalArgumentException();
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the public key's data is not a valid " + parts[0] + " key");
    }
    return new PublicKeyLine(parts[0], blob);
  }

  /** EC2's fingerprint of a key it made: SHA-1 of the PKCS#8 DER private key, colon-separated hex. */
  public static String sha1Fingerprint(byte[] pkcs8) {
    return colonHex(digest("SHA-1", pkcs8));
  }

  static String colonHex(byte[] digest) {
    String hex = HexFormat.of().formatHex(digest);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < hex.length(); i += 2) {
      if (i > 0) {
        sb.append(':');
      }
      sb.append(hex, i, i + 2);
    }
    return sb.toString();
  }

  private static byte[] digest(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void writeString(DataOutputStream out, byte[] data) throws IOException {
    out.writeInt(data.length);
    out.write(data);
  }
}
