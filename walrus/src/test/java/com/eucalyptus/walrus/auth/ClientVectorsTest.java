package com.eucalyptus.walrus.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.walrus.S3Exception;
import com.eucalyptus.walrus.auth.ClientVectors.Vector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Requests signed by real clients (botocore with Debian's awscrt signer and with its pure-Python
 * S3SigV4Auth / S3SigV4QueryAuth / HmacV1Auth / HmacV1QueryAuth; boto 2 with
 * path='/services/Walrus'), and aws-chunked bodies with chunk signatures and every checksum
 * trailer, made by src/test/scripts/make-client-vectors.py at a frozen time. Each must be accepted
 * as it was sent, with its payload decoded byte for byte, and refused once a signed part of it
 * (path, header, time, body, chunk signature, trailer) is changed.
 */
class ClientVectorsTest {
  private static final Map<String, Object> VECTORS = ClientVectors.json();
  private static final Instant NOW = ClientVectors.now();
  private static final WalrusUser ALICE = ClientVectors.alice();

  private static List<Vector> vectors() {
    return ClientVectors.requests();
  }

  private static SignatureAuthenticator at(Instant now) {
    return new SignatureAuthenticator(new TestUsers(ALICE), Clock.fixed(now, ZoneOffset.UTC), "eucalyptus");
  }

  private static final SignatureAuthenticator AUTH = at(NOW);

  @TestFactory
  Stream<DynamicTest> acceptedAsSent() {
    return vectors().stream().filter(v -> !v.checksumLie()).map(v -> DynamicTest.dynamicTest(v.name(), () -> {
      AuthResult r = AUTH.authenticate(v.request().build(), v.target());
      assertEquals("alice", r.user().orElseThrow().name());
      assertArrayEquals(v.expectPayload(), r.payload().readAllBytes());
      assertEquals(v.chunked() || v.presigned() ? r.payloadLength() : v.body().length, r.payloadLength());
    }));
  }

  @TestFactory
  Stream<DynamicTest> checksumOfOtherDataIsBadDigest() {
    return vectors().stream().filter(Vector::checksumLie).map(v -> DynamicTest.dynamicTest(v.name(), () -> {
      AuthResult r = AUTH.authenticate(v.request().build(), v.target());
      PayloadVerificationException e = assertThrows(PayloadVerificationException.class, () -> r.payload().readAllBytes());
      assertEquals("BadDigest", e.error().code());
      assertEquals(400, e.error().status());
      assertTrue(e.error().getMessage().matches("The (CRC32C|CRC64NVME) you specified did not match the calculated checksum\\."),
          e.error().getMessage());
    }));
  }

  @TestFactory
  Stream<DynamicTest> anotherPathIsRefused() {
    return vectors().stream().map(v -> DynamicTest.dynamicTest(v.name(), () -> {
      int q = v.path().indexOf('?');
      String other = q < 0 ? v.path() + "x" : v.path().substring(0, q) + "x" + v.path().substring(q);
      S3RequestTarget t = v.target();
      // what the router makes of the other path: another key, or another bucket
      S3RequestTarget otherTarget = t.key() != null ? new S3RequestTarget(t.bucket(), t.key() + "x", t.virtualHosted(),
          t.servicePrefix()) : t.bucket() != null ? new S3RequestTarget(t.bucket() + "x", null, t.virtualHosted(),
          t.servicePrefix()) : t;
      S3Exception e = assertThrows(S3Exception.class,
          () -> AUTH.authenticate(v.request(other, v.headers(), v.body()).build(), otherTarget));
      assertEquals("SignatureDoesNotMatch", e.code());
      assertEquals(403, e.status());
    }));
  }

  /** A second later in the signed time (v4), Date (v2) or expiry (presigned). */
  @TestFactory
  Stream<DynamicTest> anotherSignedTimeIsRefused() {
    return vectors().stream().map(v -> DynamicTest.dynamicTest(v.name(), () -> {
      TestRequest changed;
      if (v.presigned()) {
        String p = v.path().contains("X-Amz-Expires=")
            ? v.path().replaceFirst("X-Amz-Expires=\\d+", "X-Amz-Expires=" + (v.expires() + 1))
            : v.path().replaceFirst("Expires=\\d+", "Expires=" + (NOW.getEpochSecond() + v.expires() + 1));
        changed = v.request(p, v.headers(), v.body());
      } else if (v.header("x-amz-date") != null) {
        changed = v.request(v.path(), v.withHeader("x-amz-date", v.header("x-amz-date").replace("0000Z", "0001Z")),
            v.body());
      } else {
        changed = v.request(v.path(), v.withHeader("Date", v.header("Date").replace(":00 GMT", ":01 GMT")), v.body());
      }
      S3Exception e = assertThrows(S3Exception.class, () -> AUTH.authenticate(changed.build(), v.target()));
      assertEquals("SignatureDoesNotMatch", e.code());
    }));
  }

  @TestFactory
  Stream<DynamicTest> tooLateIsRefused() {
    return vectors().stream().map(v -> DynamicTest.dynamicTest(v.name(), () -> {
      S3Exception e = assertThrows(S3Exception.class, () -> at(NOW.plusSeconds(v.presigned() ? v.expires() + 1 : 901))
          .authenticate(v.request().build(), v.target()));
      if (v.presigned()) {
        assertEquals("AccessDenied", e.code());
        assertEquals("Request has expired", e.getMessage());
      } else {
        assertEquals("RequestTimeTooSkewed", e.code());
      }
      assertEquals(403, e.status());
    }));
  }

  /** One byte of the object changed on the way: refused by whatever covers the body. */
  @TestFactory
  Stream<DynamicTest> anotherBodyIsRefusedByWhatCoversIt() {
    return vectors().stream().filter(v -> v.expectPayload().length > 0 && !v.checksumLie())
        .map(v -> DynamicTest.dynamicTest(v.name(), () -> {
          byte[] body = v.body().clone();
          body[v.tamperOffset()] ^= 0x01;
          AuthResult r = AUTH.authenticate(v.request(v.path(), v.headers(), body).build(), v.target());
          if (v.bodyTamper() == null) {
            // nothing signed covers it (v2, UNSIGNED-PAYLOAD, presigned): Content-MD5 is the server's check
            assertFalse(java.util.Arrays.equals(v.expectPayload(), r.payload().readAllBytes()));
          } else {
            PayloadVerificationException e = assertThrows(PayloadVerificationException.class,
                () -> r.payload().readAllBytes());
            assertEquals(v.bodyTamper(), e.error().code());
          }
        }));
  }

  /**
   * A body that stops half-way (client gone) is an IOException, never a verification failure:
   * whether the container says so (Jetty's "Early EOF") or the stream just ends short.
   */
  @TestFactory
  Stream<DynamicTest> truncatedBodyIsAnIoErrorNotAVerdict() {
    return vectors().stream().filter(v -> v.body().length > 1 && !v.checksumLie())
        .flatMap(v -> Stream.of(true, false).map(quietly -> DynamicTest.dynamicTest(
            v.name() + (quietly ? ", stream ends" : ", read fails"), () -> {
              TestRequest r = v.request().cutAfter(v.body().length / 2, quietly);
              AuthResult result = AUTH.authenticate(r.build(), v.target());
              IOException e = assertThrows(IOException.class, () -> result.payload().readAllBytes());
              assertFalse(e instanceof PayloadVerificationException, e.toString());
            })));
  }

  /** A chunk signature or the trailer's signature changed by one hex digit. */
  @TestFactory
  Stream<DynamicTest> anotherChunkOrTrailerSignatureIsRefused() {
    return vectors().stream().filter(v -> !v.checksumLie())
        .flatMap(v -> Stream.of("chunk-signature=", "x-amz-trailer-signature:").map(field -> {
          String text = new String(v.body(), StandardCharsets.ISO_8859_1);
          int at = text.indexOf(field);
          if (at < 0) {
            return null;
          }
          byte[] body = v.body().clone();
          int digit = at + field.length();
          body[digit] = (byte) (body[digit] == '0' ? '1' : '0');
          return DynamicTest.dynamicTest(v.name() + ", " + field, () -> {
            AuthResult r = AUTH.authenticate(v.request(v.path(), v.headers(), body).build(), v.target());
            PayloadVerificationException e = assertThrows(PayloadVerificationException.class,
                () -> r.payload().readAllBytes());
            assertEquals("SignatureDoesNotMatch", e.error().code());
            assertEquals(403, e.error().status());
          });
        }).filter(java.util.Objects::nonNull));
  }

  /** Browser POST forms made by botocore's generate_presigned_post (v4 and v2). */
  @TestFactory
  @SuppressWarnings("unchecked")
  Stream<DynamicTest> postPolicies() {
    return java.util.Arrays.stream((Object[]) VECTORS.get("posts")).map(o -> (Map<String, Object>) o)
        .map(post -> DynamicTest.dynamicTest((String) post.get("name"), () -> {
          Map<String, String> fields = new java.util.HashMap<>();
          ((Map<String, Object>) post.get("fields")).forEach((k, v) -> fields.put(k, (String) v));
          assertEquals("alice", AUTH.verifyPostPolicy(fields).orElseThrow().name());
          // its conditions, as the server checks them for a form that sends these fields
          Map<String, String> form = new java.util.HashMap<>(fields);
          form.put("bucket", "bucket");
          form.put("key", "uploads/photo.png");
          PostPolicy policy = PostPolicy.parse(fields.get("policy"));
          policy.check(form, 1000);
          assertEquals("EntityTooLarge", assertThrows(S3Exception.class, () -> policy.check(form, 1048577)).code());

          Map<String, String> otherPolicy = new java.util.HashMap<>(fields);
          String json = new String(Base64.getDecoder().decode(fields.get("policy")), StandardCharsets.UTF_8);
          otherPolicy.put("policy", Base64.getEncoder().encodeToString(json.replace("1048576", "1048577")
              .getBytes(StandardCharsets.UTF_8)));
          assertEquals("SignatureDoesNotMatch", assertThrows(S3Exception.class, () -> AUTH.verifyPostPolicy(otherPolicy))
              .code());
          S3Exception expired = assertThrows(S3Exception.class, () -> at(NOW.plusSeconds(1800)).verifyPostPolicy(fields));
          assertEquals("AccessDenied", expired.code());
          TestUsers nobody = new TestUsers();
          assertEquals("InvalidAccessKeyId", assertThrows(S3Exception.class, () -> new SignatureAuthenticator(nobody,
              Clock.fixed(NOW, ZoneOffset.UTC), "eucalyptus").verifyPostPolicy(fields)).code());
        }));
  }

  @org.junit.jupiter.api.Test
  void formWithoutPolicyIsAnonymous() throws Exception {
    assertTrue(AUTH.verifyPostPolicy(Map.of("key", "k", "bucket", "bucket")).isEmpty());
    assertEquals("InvalidArgument", assertThrows(S3Exception.class,
        () -> AUTH.verifyPostPolicy(Map.of("key", "k", "awsaccesskeyid", ALICE.accessKey()))).code());
  }
}
