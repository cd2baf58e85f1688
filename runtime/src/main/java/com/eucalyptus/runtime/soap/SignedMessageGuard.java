package com.eucalyptus.runtime.soap;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.axis2.AxisFault;
import org.apache.axis2.context.MessageContext;
import org.apache.axis2.description.AxisService;
import org.apache.axis2.handlers.AbstractHandler;

/**
 * Runs right after Rampart's Security phase on a signed service and refuses what Rampart lets
 * through: a message signed by a certificate that is not exactly one of the trusted peers (the
 * cloud CA also issues users' certificates, so "chains to a trusted CA" is not enough), and a
 * replay of a message already seen (Rampart 1.7 keeps no replay cache): the hash of each
 * signature value is remembered until its Timestamp expires.
 */
public class SignedMessageGuard extends AbstractHandler {
  /** AxisService parameter holding the service's {@link KeySource}; marks it as signed. */
  public static final String KEY_SOURCE_PARAMETER = "euca.keySource";
  /** Past its Expires a message is refused as expired, but only once the clock skew allowance is spent too. */
  private static final long REMEMBER_PAST_EXPIRY_MS = SecurityPolicies.TIMESTAMP_TTL.toMillis();

  /** signature hash → time (ms) until which a repeat is a replay; insertion order ~ expiry order. */
  private final Map<String, Long> seen = new LinkedHashMap<>();

  @Override
  public InvocationResponse invoke(MessageContext mc) throws AxisFault {
    AxisService service = mc.getAxisService();
    Object source = service == null ? null : service.getParameterValue(KEY_SOURCE_PARAMETER);
    if (!(source instanceof KeySource keys) || !mc.isServerSide()) {
      return InvocationResponse.CONTINUE;
    }
    SecurityResults results = SecurityResults.of(mc);
    if (results == null) {
      throw refuse(mc, "unsigned message (no verified WS-Security signature)");
    }
    WsSecurityKeys current;
    try {
      current = keys.current();
    } catch (java.io.IOException e) {
      throw refuse(mc, "cannot check the signer: " + e.getMessage());
    }
    if (!current.trusts(results.signer())) {
      throw refuse(mc, "signed by a certificate that is not a trusted peer: "
          + results.signer().getSubjectX500Principal() + ", serial " + results.signer().getSerialNumber());
    }
    long now = System.currentTimeMillis();
    long until = Math.max(results.expires() == null ? 0 : results.expires().getTime(), now) + REMEMBER_PAST_EXPIRY_MS;
    String hash = sha256(results.signatureValue());
    synchronized (seen) {
      purge(now);
      Long previous = seen.putIfAbsent(hash, until);
      if (previous != null && previous > now) {
        throw refuse(mc, "replayed message (this signature was already accepted)");
      }
    }
    return InvocationResponse.CONTINUE;
  }

  private void purge(long now) {
    for (Iterator<Long> it = seen.values().iterator(); it.hasNext(); ) {
      if (it.next() <= now) {
        it.remove();
      } else {
        break;
      }
    }
  }

  /** The fault; {@link FaultLogger} writes the one log line about it. */
  private static AxisFault refuse(MessageContext mc, String why) {
    return new AxisFault("Message refused: " + why);
  }

  private static String sha256(byte[] data) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(data == null ? new byte[0] : data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
