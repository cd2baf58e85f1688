package com.eucalyptus.walrus.images;

import com.eucalyptus.walrus.images.ImageBundleException.Reason;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import javax.crypto.Cipher;
import javax.crypto.CipherInputStream;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a bundle back into its image, streaming: parts (each SHA1 checked) → AES-128-CBC with
 * the key and IV the cloud's private key unwraps → gunzip → untar → the image, optionally
 * gzipped again (the NC's {@code IsCompressed=true}). Nothing larger than a buffer is held in
 * memory.
 *
 * <p>Bytes are written to {@code out} as they are decrypted: only a normal return vouches for
 * them. On any refusal the caller must discard what was written (Walrus decrypts into a
 * temporary file of its cache and keeps it only on success). The manifest's signature is not
 * checked here: {@link ManifestSignatureVerifier} does that first.
 */
public final class BundleDecryptor {
  private final PrivateKey cloudKey;

  /** @param cloudKey the cloud's private key, whose certificate the bundler encrypted for */
  public BundleDecryptor(PrivateKey cloudKey) {
    this.cloudKey = cloudKey;
  }

  /** Decrypts from one stream holding all parts in order, split at 10 MiB as the bundlers do. */
  public DecryptedImage decrypt(ImageManifest manifest, InputStream concatenatedParts, OutputStream out,
      boolean gzipOutput) throws ImageBundleException, IOException {
    return decrypt(manifest,
        PartSource.concatenated(concatenatedParts, PartSource.STANDARD_PART_SIZE, manifest.parts().size()),
        out, gzipOutput);
  }

  /**
   * Decrypts the bundle whose parts {@code parts} opens, writing the image to {@code out} (not
   * closed). IOExceptions are those of {@code out}; every problem of the bundle is an
   * ImageBundleException.
   */
  public DecryptedImage decrypt(ImageManifest manifest, PartSource parts, OutputStream out, boolean gzipOutput)
      throws ImageBundleException, IOException {
    byte[] key = unwrap(manifest.ec2EncryptedKey(), "key");
    byte[] iv = unwrap(manifest.ec2EncryptedIv(), "IV");
    Cipher aes;
    try {
      aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
      aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
    } catch (GeneralSecurityException e) {
      throw new ImageBundleException(Reason.KEY_DECRYPTION_FAILED,
          "the bundle's key (" + key.length + " bytes) and IV (" + iv.length + " bytes) are not AES-CBC material", e);
    }
    MessageDigest tarSha1 = sha1();
    MessageDigest imageSha1 = sha1();
    GuardedOutputStream guarded = new GuardedOutputStream(out);
    GZIPOutputStream gzip = gzipOutput ? new GZIPOutputStream(guarded, 64 * 1024) : null;
    OutputStream sink = new DigestOutputStream(gzip != null ? gzip : guarded, imageSha1);
    VerifiedPartsInputStream encrypted = new VerifiedPartsInputStream(manifest.parts(), parts);
    TarImageReader.Entry entry;
    try (encrypted) {
      InputStream tar = new DigestInputStream(
          new GZIPInputStream(new CipherInputStream(encrypted, aes), 64 * 1024), tarSha1);
      entry = new TarImageReader(tar).extractSingleFile(sink);
      tar.transferTo(OutputStream.nullOutputStream()); // the rest of the tar stream counts in its digest
      encrypted.drainAndVerify(); // parts after the end of the gzip stream must match too
      if (gzip != null) {
        gzip.finish();
      }
      sink.flush();
    } catch (GuardedOutputStream.WriteFailure e) {
      throw e.original;
    } catch (VerifiedPartsInputStream.Refused e) {
      throw e.reason;
    } catch (IOException | RuntimeException e) {
      // was a tampered part the cause? its digest gives the clearer answer
      try {
        encrypted.drainAndVerify();
      } catch (VerifiedPartsInputStream.Refused r) {
        throw r.reason;
      }
      throw new ImageBundleException(Reason.CORRUPT_BUNDLE,
          "the bundle matches its part digests but cannot be decrypted, gunzipped or untarred: " + e.getMessage(), e);
    }
    String tarHex = HexFormat.of().formatHex(tarSha1.digest());
    String imageHex = HexFormat.of().formatHex(imageSha1.digest());
    String expected = manifest.digest().trim();
    DecryptedImage.DigestKind matched;
    if (expected.equalsIgnoreCase(tarHex)) {
      matched = DecryptedImage.DigestKind.TAR_STREAM;
    } else if (expected.equalsIgnoreCase(imageHex)) {
      matched = DecryptedImage.DigestKind.IMAGE_FILE;
    } else {
      throw new ImageBundleException(Reason.IMAGE_DIGEST_MISMATCH, "the manifest's image digest " + expected
          + " is neither the SHA1 of the tar stream (" + tarHex + ") nor of the image (" + imageHex + ")");
    }
    return new DecryptedImage(entry.name(), entry.size(), matched, tarHex, imageHex);
  }

  /**
   * The key or IV: RSA/PKCS#1 v1.5 with the cloud key, around the hex string of the bytes (as
   * both bundlers write it); raw bytes are accepted too.
   */
  private byte[] unwrap(String hexCiphertext, String what) throws ImageBundleException {
    byte[] plain;
    try {
      Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
      rsa.init(Cipher.DECRYPT_MODE, cloudKey);
      plain = rsa.doFinal(HexFormat.of().parseHex(hexCiphertext.trim()));
    } catch (IllegalArgumentException e) {
      throw new ImageBundleException(Reason.KEY_DECRYPTION_FAILED, "the manifest's ec2 encrypted " + what + " is not hex");
    } catch (GeneralSecurityException e) {
      throw new ImageBundleException(Reason.KEY_DECRYPTION_FAILED, "the bundle's " + what
          + " cannot be decrypted with the cloud's private key: it was bundled for another cloud certificate (--ec2cert)", e);
    }
    String text = new String(plain, StandardCharsets.US_ASCII).trim();
    if (text.length() % 2 == 0 && text.matches("[0-9a-fA-F]+")) {
      return HexFormat.of().parseHex(text);
    }
    return plain;
  }

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Marks failures of the caller's stream, so they are not taken for a corrupt bundle. */
  private static final class GuardedOutputStream extends FilterOutputStream {
    static final class WriteFailure extends IOException {
      final IOException original;

      WriteFailure(IOException original) {
        super(original);
        this.original = original;
      }
    }

    GuardedOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        throw new WriteFailure(e);
      }
    }

    @Override
    public void write(int b) throws IOException {
      try {
        out.write(b);
      } catch (IOException e) {
        throw new WriteFailure(e);
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        out.flush();
      } catch (IOException e) {
        throw new WriteFailure(e);
      }
    }
  }
}
