package com.eucalyptus.runtime.soap;

import com.eucalyptus.runtime.crypto.Pem;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * One side of a signed hop: the private key and certificate it signs with, and the exact peer
 * certificates whose signatures it accepts (see docs/architecture.md, "Who signs what").
 */
public record WsSecurityKeys(PrivateKey key, X509Certificate certificate, List<X509Certificate> trustedPeers) {

  public WsSecurityKeys {
    trustedPeers = List.copyOf(trustedPeers);
  }

  /** Loads {@code keyFile}, {@code certFile} and the {@code trustedCertFiles} from {@code keysDir}. */
  public static WsSecurityKeys load(Path keysDir, String keyFile, String certFile, String... trustedCertFiles) throws IOException {
    List<X509Certificate> peers = new ArrayList<>();
    for (String f : trustedCertFiles) {
      peers.add(Pem.readCertificate(keysDir.resolve(f)));
    }
    X509Certificate own = Pem.readCertificate(keysDir.resolve(certFile));
    if (own.getVersion() != 3) {
      // the policy sends a WssX509V3Token10: Rampart cannot sign with a v1 certificate ("Error in signature with X509Token")
      throw new IOException(keysDir.resolve(certFile) + " is an X.509 v" + own.getVersion()
          + " certificate; WS-Security here needs v3 (the keys the CLC makes are)");
    }
    return new WsSecurityKeys(Pem.readPrivateKey(keysDir.resolve(keyFile)), own, peers);
  }

  public boolean trusts(X509Certificate signer) {
    return signer != null && trustedPeers.contains(signer);
  }
}
