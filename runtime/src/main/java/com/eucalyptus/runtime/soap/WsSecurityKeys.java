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
    return new WsSecurityKeys(Pem.readPrivateKey(keysDir.resolve(keyFile)), Pem.readCertificate(keysDir.resolve(certFile)), peers);
  }

  public boolean trusts(X509Certificate signer) {
    return signer != null && trustedPeers.contains(signer);
  }
}
