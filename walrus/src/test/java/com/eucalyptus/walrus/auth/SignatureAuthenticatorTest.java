package com.eucalyptus.walrus.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.walrus.S3Exception;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** What every request meets before its signature is computed: anonymity, time, keys, malformed headers. */
class SignatureAuthenticatorTest {
  private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final S3RequestTarget TEST_TXT = new S3RequestTarget("examplebucket", "test.txt", true, "");

  private static SignatureAuthenticator at(String instant, TestUsers users) {
    return new SignatureAuthenticator(users, Clock.fixed(Instant.parse(instant), ZoneOffset.UTC), "eucalyptus");
  }

  /** AWS's published GET object example (signature v4). */
  private static TestRequest awsGetObject() {
    return TestRequest.of("GET", "/test.txt").header("Host", "examplebucket.s3.amazonaws.com")
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
            + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        .header("Range", "bytes=0-9").header("x-amz-content-sha256", EMPTY_SHA256)
        .header("x-amz-date", "20130524T000000Z");
  }

  @Test
  void unsignedRequestIsAnonymousAndItsBodyPassesAsItIs() throws Exception {
    AuthResult r = at("2026-01-01T00:00:00Z", new TestUsers()).authenticate(
        TestRequest.of("PUT", "/services/Walrus/bucket/key").header("Host", "h").body("hello").build(),
        new S3RequestTarget("bucket", "key", false, "/services/Walrus"));
    assertTrue(r.user().isEmpty());
    assertEquals(5, r.payloadLength());
    assertEquals("hello", new String(r.payload().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void requestTimeMayBeFifteenMinutesOffEitherWay() throws Exception {
    TestUsers users = new TestUsers(TestUsers.AWS_EXAMPLE);
    at("2013-05-24T00:15:00Z", users).authenticate(awsGetObject().build(), TEST_TXT);
    at("2013-05-23T23:45:00Z", users).authenticate(awsGetObject().build(), TEST_TXT);
    for (String now : new String[] {"2013-05-24T00:15:01Z", "2013-05-23T23:44:59Z"}) {
      S3Exception e = assertThrows(S3Exception.class, () -> at(now, users).authenticate(awsGetObject().build(), TEST_TXT));
      assertEquals(403, e.status());
      assertEquals("RequestTimeTooSkewed", e.code());
    }
  }

  @Test
  void aDisabledUsersKeyIsAccessDeniedAndAnUnknownOrDeletedKeyIsInvalidAccessKeyId() throws Exception {
    TestUsers users = new TestUsers(TestUsers.AWS_EXAMPLE);
    SignatureAuthenticator auth = at("2013-05-24T00:00:00Z", users);
    auth.authenticate(awsGetObject().build(), TEST_TXT);

    users.disable("AKIAIOSFODNN7EXAMPLE");
    S3Exception disabled = assertThrows(S3Exception.class, () -> auth.authenticate(awsGetObject().build(), TEST_TXT));
    assertEquals(403, disabled.status());
    assertEquals("AccessDenied", disabled.code());
    assertEquals("The account of this access key is disabled.", disabled.getMessage());
    // the same for signature v2 (header and presigned) and for browser POST forms, each signed
    // with the disabled user's secret key
    String secret = TestUsers.AWS_EXAMPLE.secretKey();
    String headerSignature = SignatureV2.sign(secret, "GET\n\n\nFri, 24 May 2013 00:00:00 GMT\n/examplebucket/test.txt");
    S3Exception v2 = assertThrows(S3Exception.class, () -> auth.authenticate(TestRequest.of("GET", "/test.txt")
        .header("Host", "examplebucket.s3.amazonaws.com").header("Date", "Fri, 24 May 2013 00:00:00 GMT")
        .header("Authorization", "AWS AKIAIOSFODNN7EXAMPLE:" + headerSignature).build(), TEST_TXT));
    assertEquals("AccessDenied", v2.code());
    String presignature = SignatureV2.sign(secret, "GET\n\n\n1369353600\n/examplebucket/test.txt");
    S3Exception presigned = assertThrows(S3Exception.class, () -> auth.authenticate(TestRequest.of("GET",
        "/test.txt?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1369353600&Signature="
            + java.net.URLEncoder.encode(presignature, java.nio.charset.StandardCharsets.UTF_8))
        .header("Host", "examplebucket.s3.amazonaws.com").build(), TEST_TXT));
    assertEquals("AccessDenied", presigned.code());
    S3Exception post = assertThrows(S3Exception.class, () -> auth.verifyPostPolicy(java.util.Map.of(
        "policy", "e30=", "awsaccesskeyid", "AKIAIOSFODNN7EXAMPLE", "signature", SignatureV2.sign(secret, "e30="))));
    assertEquals("AccessDenied", post.code());
    // without the secret key nothing about the account is told: a forged signature is just that
    S3Exception forged = assertThrows(S3Exception.class, () -> auth.authenticate(TestRequest.of("GET", "/test.txt")
        .header("Host", "examplebucket.s3.amazonaws.com").header("Date", "Fri, 24 May 2013 00:00:00 GMT")
        .header("Authorization", "AWS AKIAIOSFODNN7EXAMPLE:c2lnbmF0dXJl").build(), TEST_TXT));
    assertEquals("SignatureDoesNotMatch", forged.code());

    users.delete("AKIAIOSFODNN7EXAMPLE");
    S3Exception deleted = assertThrows(S3Exception.class, () -> auth.authenticate(awsGetObject().build(), TEST_TXT));
    assertEquals(403, deleted.status());
    assertEquals("InvalidAccessKeyId", deleted.code());
    S3Exception unknown = assertThrows(S3Exception.class, () -> at("2013-05-24T00:00:00Z", new TestUsers())
        .authenticate(awsGetObject().build(), TEST_TXT));
    assertEquals("InvalidAccessKeyId", unknown.code());
    assertEquals("The AWS Access Key Id you provided does not exist in our records.", unknown.getMessage());
  }

  @Test
  void anotherSecretIsSignatureDoesNotMatch() {
    WalrusUser sameKeyOtherSecret = new WalrusUser("x", "c".repeat(64), "x@x", false, "AKIAIOSFODNN7EXAMPLE",
        "another/secret/key/0123456789abcdefghijk");
    SignatureMismatchException e = assertThrows(SignatureMismatchException.class,
        () -> at("2013-05-24T00:00:00Z", new TestUsers(sameKeyOtherSecret)).authenticate(awsGetObject().build(), TEST_TXT));
    assertEquals(403, e.status());
    assertTrue(e.stringToSign().startsWith("AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"));
    assertTrue(!e.stringToSign().contains(sameKeyOtherSecret.secretKey()) && !e.getMessage().contains("another"));
  }

  @Test
  void malformedAuthorizationsAreRefusedWithS3Codes() {
    SignatureAuthenticator auth = at("2013-05-24T00:00:00Z", new TestUsers(TestUsers.AWS_EXAMPLE));
    String[][] cases = {
        {"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3, SignedHeaders=host, Signature=00",
            "AuthorizationHeaderMalformed"},
        {"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/ec2/aws4_request, SignedHeaders=host,"
            + " Signature=00", "AuthorizationHeaderMalformed"},
        {"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request", "AuthorizationHeaderMalformed"},
        {"AWS AKIAIOSFODNN7EXAMPLE", "InvalidArgument"},
        {"Bearer abc", "InvalidArgument"},
    };
    for (String[] c : cases) {
      S3Exception e = assertThrows(S3Exception.class, () -> auth.authenticate(TestRequest.of("GET", "/test.txt")
          .header("Host", "examplebucket.s3.amazonaws.com").header("x-amz-date", "20130524T000000Z")
          .header("Date", "Fri, 24 May 2013 00:00:00 GMT").header("x-amz-content-sha256", EMPTY_SHA256)
          .header("Authorization", c[0]).build(), TEST_TXT), c[0]);
      assertEquals(c[1], e.code(), c[0]);
      assertEquals(400, e.status(), c[0]);
    }
  }

  @Test
  void signedRequestWithoutDateIsAccessDenied() {
    S3Exception e = assertThrows(S3Exception.class, () -> at("2013-05-24T00:00:00Z", new TestUsers(TestUsers.AWS_EXAMPLE))
        .authenticate(TestRequest.of("GET", "/test.txt").header("Host", "examplebucket.s3.amazonaws.com")
            .header("Authorization", "AWS AKIAIOSFODNN7EXAMPLE:bWq2s1WEIj+Ydj0vQ697zp+IXMU=").build(), TEST_TXT));
    assertEquals("AccessDenied", e.code());
    assertEquals("AWS authentication requires a valid Date or x-amz-date header", e.getMessage());
  }

  @Test
  void twoAuthenticationMechanismsAreRefused() {
    S3Exception e = assertThrows(S3Exception.class, () -> at("2013-05-24T00:00:00Z", new TestUsers(TestUsers.AWS_EXAMPLE))
        .authenticate(TestRequest.of("GET", "/test.txt?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1&Signature=x")
            .header("Authorization", "AWS AKIAIOSFODNN7EXAMPLE:x").build(), TEST_TXT));
    assertEquals("InvalidArgument", e.code());
  }
}
