package com.eucalyptus.walrus.images;

import com.eucalyptus.walrus.images.ImageBundleException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HexFormat;

/**
 * Checks a manifest's {@code <signature>}: SHA1withRSA, hex-encoded, over the machine
 * configuration and image elements (ec2-ami-tools and euca2ools sign exactly that), against the
 * certificates the caller trusts for this user (RegisterImage: every certificate ever issued to
 * the registering user; an admin: all of them).
 */
public final class ManifestSignatureVerifier {
  private ManifestSignatureVerifier() {}

  /** The certificate that verifies the manifest; refused with SIGNATURE_MISMATCH if none does. */
  public static X509Certificate verify(ImageManifest manifest, Collection<X509Certificate> trusted)
      throws ImageBundleException {
    byte[] signature;
    try {
      signature = HexFormat.of().parseHex(manifest.signature().trim());
    } catch (IllegalArgumentException e) {
      throw new ImageBundleException(Reason.SIGNATURE_MISMATCH, "manifest signature is not hex");
    }
    byte[] signed = manifest.signedText().getBytes(StandardCharsets.UTF_8);
    for (X509Certificate cert : trusted) {
      try {
        Signature verifier = Signature.getInstance("SHA1withRSA");
        verifier.initVerify(cert.getPublicKey());
        verifier.update(signed);
        if (verifier.verify(signature)) {
          return cert;
        }
      } catch (GeneralSecurityException e) {
        // a certificate whose key cannot verify (e.g. not RSA) simply does not match
      }
    }
    throw new ImageBundleException(Reason.SIGNATURE_MISMATCH,
        "manifest signature does not verify with any of the " + trusted.size()
            + " certificate(s) of the user: the manifest was changed or signed by someone else");
  }
}
