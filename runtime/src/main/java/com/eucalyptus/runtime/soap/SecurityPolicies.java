package com.eucalyptus.runtime.soap;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import org.apache.neethi.Policy;
import org.apache.neethi.PolicyEngine;
import org.apache.rampart.policy.model.CryptoConfig;
import org.apache.rampart.policy.model.RampartConfig;

/**
 * The one WS-SecurityPolicy of the inter-tier hops: an X.509 signature (WS-Security 1.0,
 * asymmetric binding) over the SOAP Body and a Timestamp, on requests and on replies. The
 * sender's certificate travels with each request; a reply refers to the responder's certificate,
 * which the caller already holds as a trusted peer.
 */
public final class SecurityPolicies {
  /** How long a signed message stays valid (WS-Security's usual 300 s). */
  public static final Duration TIMESTAMP_TTL = Duration.ofSeconds(300);
  /** Clock difference tolerated between two hosts when checking a Timestamp. */
  public static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(60);

  private static final String POLICY = """
      <wsp:Policy xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
          xmlns:wsp="http://schemas.xmlsoap.org/ws/2004/09/policy"
          xmlns:sp="http://schemas.xmlsoap.org/ws/2005/07/securitypolicy">
        <wsp:ExactlyOne><wsp:All>
          <sp:AsymmetricBinding><wsp:Policy>
            <sp:InitiatorToken><wsp:Policy>
              <sp:X509Token sp:IncludeToken="http://schemas.xmlsoap.org/ws/2005/07/securitypolicy/IncludeToken/AlwaysToRecipient">
                <wsp:Policy><sp:WssX509V3Token10/></wsp:Policy>
              </sp:X509Token>
            </wsp:Policy></sp:InitiatorToken>
            <sp:RecipientToken><wsp:Policy>
              <sp:X509Token sp:IncludeToken="http://schemas.xmlsoap.org/ws/2005/07/securitypolicy/IncludeToken/Never">
                <wsp:Policy><sp:WssX509V3Token10/></wsp:Policy>
              </sp:X509Token>
            </wsp:Policy></sp:RecipientToken>
            <sp:AlgorithmSuite><wsp:Policy><sp:Basic256Sha256/></wsp:Policy></sp:AlgorithmSuite>
            <sp:Layout><wsp:Policy><sp:Strict/></wsp:Policy></sp:Layout>
            <sp:IncludeTimestamp/>
            <sp:OnlySignEntireHeadersAndBody/>
          </wsp:Policy></sp:AsymmetricBinding>
          <sp:Wss10><wsp:Policy>
            <sp:MustSupportRefKeyIdentifier/>
            <sp:MustSupportRefIssuerSerial/>
          </wsp:Policy></sp:Wss10>
          <sp:SignedParts><sp:Body/></sp:SignedParts>
        </wsp:All></wsp:ExactlyOne>
      </wsp:Policy>
      """;

  private SecurityPolicies() {
  }

  /** The policy, with Rampart's configuration pointing at {@code keys}, timestamps valid {@code ttl}. */
  public static Policy signedBodyAndTimestamp(KeySource keys, Duration ttl) {
    return signedBodyAndTimestamp(keys, ttl, MAX_CLOCK_SKEW);
  }

  /** As above; a received Timestamp counts as expired {@code maxSkew} after its Expires. */
  public static Policy signedBodyAndTimestamp(KeySource keys, Duration ttl, Duration maxSkew) {
    Policy policy = PolicyEngine.getPolicy(new ByteArrayInputStream(POLICY.getBytes(StandardCharsets.UTF_8)));
    RampartConfig rc = new RampartConfig();
    rc.setUser(PemCrypto.SELF_ALIAS);
    rc.setUserCertAlias(PemCrypto.SELF_ALIAS);
    rc.setPwCbClass(InternalKeyPassword.class.getName());
    rc.setTimestampTTL(String.valueOf(ttl.toSeconds()));
    rc.setTimestampMaxSkew(String.valueOf(maxSkew.toSeconds()));
    CryptoConfig crypto = new CryptoConfig();
    crypto.setProvider(PemCrypto.class.getName());
    Properties props = new Properties();
    String keysetId = KeySources.register(keys);
    props.setProperty(PemCrypto.KEYSET_PROPERTY, keysetId);
    crypto.setProp(props);
    rc.setSigCryptoConfig(crypto);
    policy.addAssertion(rc);
    // Rampart caches what it derives from a policy by the policy's Id: one Id per key set and TTL
    policy.setId("EucalyptusSigned-" + keysetId + "-" + ttl.toSeconds() + "-" + maxSkew.toSeconds());
    return policy;
  }
}
