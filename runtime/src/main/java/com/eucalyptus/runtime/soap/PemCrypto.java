package com.eucalyptus.runtime.soap;

import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;
import org.apache.ws.security.components.crypto.CredentialException;
import org.apache.ws.security.components.crypto.Merlin;

/**
 * WSS4J's Merlin over a keystore built in memory from our PEM files (no keystore file on disk).
 * The key is stored under {@link #SELF_ALIAS} with {@link #INTERNAL_PASSWORD}; the trusted peer
 * certificates are the trust store, so only they (or what their CA issued: see
 * {@link SignedMessageGuard}, which then insists on the exact certificate) verify.
 */
public class PemCrypto extends Merlin {
  public static final String KEYSET_PROPERTY = "com.eucalyptus.keyset";
  public static final String SELF_ALIAS = "self";
  /** Only protects the in-memory keystore entry; never stored anywhere. */
  static final char[] INTERNAL_PASSWORD = "eucalyptus-in-memory".toCharArray();
  private static final Map<WsSecurityKeys, KeyStore[]> STORES = new WeakHashMap<>();

  public PemCrypto(Properties properties, ClassLoader loader) throws CredentialException {
    init(properties.getProperty(KEYSET_PROPERTY));
  }

  public PemCrypto(Map<Object, Object> properties, ClassLoader loader) throws CredentialException {
    init((String) properties.get(KEYSET_PROPERTY));
  }

  private void init(String keysetId) throws CredentialException {
    try {
      WsSecurityKeys keys = KeySources.get(keysetId).current();
      KeyStore[] stores;
      synchronized (STORES) {
        stores = STORES.computeIfAbsent(keys, PemCrypto::build);
      }
      setKeyStore(stores[0]);
      setTrustStore(stores[1]);
    } catch (Exception e) {
      throw new CredentialException(CredentialException.IO_ERROR, "ioError00", new Object[] {e.getMessage()}, e);
    }
  }

  private static KeyStore[] build(WsSecurityKeys keys) {
    try {
      KeyStore ks = KeyStore.getInstance("JKS");
      ks.load(null, null);
      ks.setKeyEntry(SELF_ALIAS, keys.key(), INTERNAL_PASSWORD, new Certificate[] {keys.certificate()});
      KeyStore ts = KeyStore.getInstance("JKS");
      ts.load(null, null);
      int i = 0;
      for (X509Certificate peer : keys.trustedPeers()) {
        ks.setCertificateEntry("peer-" + i, peer);
        ts.setCertificateEntry("peer-" + i, peer);
        i++;
      }
      return new KeyStore[] {ks, ts};
    } catch (Exception e) {
      throw new IllegalStateException("cannot build the in-memory keystore", e);
    }
  }
}
