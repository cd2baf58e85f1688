package com.eucalyptus.walrus.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.eucalyptus.walrus.S3Exception;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The signature v4 examples of the S3 API reference ("Examples: Signature Calculations in AWS
 * Signature Version 4": GET object, PUT object, GET bucket lifecycle, list objects; the presigned
 * GET object; "Transfer Payload in Multiple Chunks"; and the chunked upload with a signed trailer),
 * with AWS's example key, at AWS's example time. Each is accepted as published, and refused once
 * one thing in it is changed.
 */
class AwsPublishedExamplesTest {
  private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final String CREDENTIAL = "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request";
  private static final Clock EXAMPLE_TIME = Clock.fixed(Instant.parse("2013-05-24T00:00:00Z"), ZoneOffset.UTC);
  private static final S3RequestTarget TEST_TXT = new S3RequestTarget("examplebucket", "test.txt", true, "");
  private static final S3RequestTarget BUCKET = new S3RequestTarget("examplebucket", null, true, "");
  private static final S3RequestTarget CHUNK_OBJECT = new S3RequestTarget("examplebucket", "chunkObject.txt", false, "");

  private final SignatureAuthenticator auth = new SignatureAuthenticator(new TestUsers(TestUsers.AWS_EXAMPLE),
      EXAMPLE_TIME, "eucalyptus");

  private static String authorization(String signedHeaders, String signature) {
    return "AWS4-HMAC-SHA256 Credential=" + CREDENTIAL + ",SignedHeaders=" + signedHeaders + ",Signature=" + signature;
  }

  private static TestRequest getObject(String signature) {
    return TestRequest.of("GET", "/test.txt").header("Host", "examplebucket.s3.amazonaws.com")
        .header("Authorization", authorization("host;range;x-amz-content-sha256;x-amz-date", signature))
        .header("Range", "bytes=0-9").header("x-amz-content-sha256", EMPTY_SHA256)
        .header("x-amz-date", "20130524T000000Z");
  }

  @Test
  void getObject() throws Exception {
    String sig = "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41";
    AuthResult r = auth.authenticate(getObject(sig).build(), TEST_TXT);
    assertEquals("example", r.user().orElseThrow().name());

    // the same signature over another Range
    SignatureMismatchException e = assertThrows(SignatureMismatchException.class,
        () -> auth.authenticate(otherRange(sig).build(), TEST_TXT));
    assertEquals(403, e.status());
    assertEquals("SignatureDoesNotMatch", e.code());
    assertEquals("GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-99\nx-amz-content-sha256:"
        + EMPTY_SHA256 + "\nx-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n" + EMPTY_SHA256,
        e.canonicalRequest());
  }

  private static TestRequest otherRange(String sig) {
    return TestRequest.of("GET", "/test.txt").header("Host", "examplebucket.s3.amazonaws.com")
        .header("Authorization", authorization("host;range;x-amz-content-sha256;x-amz-date", sig))
        .header("Range", "bytes=0-99").header("x-amz-content-sha256", EMPTY_SHA256)
        .header("x-amz-date", "20130524T000000Z");
  }

  private static TestRequest putObject(String path, String body) {
    return TestRequest.of("PUT", path).header("Host", "examplebucket.s3.amazonaws.com")
        .header("Date", "Fri, 24 May 2013 00:00:00 GMT")
        .header("Authorization", authorization("date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
            "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"))
        .header("x-amz-date", "20130524T000000Z").header("x-amz-storage-class", "REDUCED_REDUNDANCY")
        .header("x-amz-content-sha256", "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072").body(body);
  }

  @Test
  void putObjectWithSignedPayload() throws Exception {
    S3RequestTarget target = new S3RequestTarget("examplebucket", "test$file.text", true, "");
    for (String path : new String[] {"/test$file.text", "/test%24file.text"}) {
      AuthResult r = auth.authenticate(putObject(path, "Welcome to Amazon S3.").build(), target);
      assertEquals("Welcome to Amazon S3.", new String(r.payload().readAllBytes(), StandardCharsets.UTF_8));
      assertEquals(21, r.payloadLength());
    }
    // the same signed request with another body: refused when the body has been read
    AuthResult r = auth.authenticate(putObject("/test$file.text", "Welcome to Amazon S4.").build(), target);
    PayloadVerificationException e = assertThrows(PayloadVerificationException.class, () -> r.payload().readAllBytes());
    assertEquals("XAmzContentSHA256Mismatch", e.error().code());
    assertEquals(400, e.error().status());
    // another key
    assertThrows(SignatureMismatchException.class,
        () -> auth.authenticate(putObject("/test$file.txt", "Welcome to Amazon S3.").build(), target));
  }

  private static TestRequest bucketGet(String query, String signature) {
    return TestRequest.of("GET", "/?" + query).header("Host", "examplebucket.s3.amazonaws.com")
        .header("Authorization", authorization("host;x-amz-content-sha256;x-amz-date", signature))
        .header("x-amz-content-sha256", EMPTY_SHA256).header("x-amz-date", "20130524T000000Z");
  }

  @Test
  void getBucketLifecycle() throws Exception {
    String sig = "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543";
    assertEquals("example", auth.authenticate(bucketGet("lifecycle", sig).build(), BUCKET).user().orElseThrow().name());
    assertThrows(SignatureMismatchException.class, () -> auth.authenticate(bucketGet("acl", sig).build(), BUCKET));
  }

  @Test
  void listObjects() throws Exception {
    String sig = "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7";
    assertEquals("example", auth.authenticate(bucketGet("max-keys=2&prefix=J", sig).build(), BUCKET).user().orElseThrow()
        .name());
    // the order of the parameters on the wire does not matter, their values do
    assertEquals("example", auth.authenticate(bucketGet("prefix=J&max-keys=2", sig).build(), BUCKET).user().orElseThrow()
        .name());
    assertThrows(SignatureMismatchException.class, () -> auth.authenticate(bucketGet("max-keys=3&prefix=J", sig).build(),
        BUCKET));
  }

  private static TestRequest presigned(String expires) {
    return TestRequest.of("GET", "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F"
        + "20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=" + expires
        + "&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
        .header("Host", "examplebucket.s3.amazonaws.com");
  }

  @Test
  void presignedGetObject() throws Exception {
    assertEquals("example", auth.authenticate(presigned("86400").build(), TEST_TXT).user().orElseThrow().name());
    assertThrows(SignatureMismatchException.class, () -> auth.authenticate(presigned("86401").build(), TEST_TXT));
    // a day and a second later it has expired
    SignatureAuthenticator later = new SignatureAuthenticator(new TestUsers(TestUsers.AWS_EXAMPLE),
        Clock.fixed(Instant.parse("2013-05-25T00:00:01Z"), ZoneOffset.UTC), "eucalyptus");
    S3Exception e = assertThrows(S3Exception.class, () -> later.authenticate(presigned("86400").build(), TEST_TXT));
    assertEquals("AccessDenied", e.code());
    assertEquals("Request has expired", e.getMessage());
  }

  private static byte[] chunkedBody(String[] signatures, String trailer) throws IOException {
    byte[] a = new byte[65536];
    Arrays.fill(a, (byte) 'a');
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(("10000;chunk-signature=" + signatures[0] + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(a);
    out.write(("\r\n400;chunk-signature=" + signatures[1] + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(a, 0, 1024);
    out.write(("\r\n0;chunk-signature=" + signatures[2] + "\r\n" + trailer).getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static byte[] sixtyFiveKilobytesOfA() {
    byte[] a = new byte[66560];
    Arrays.fill(a, (byte) 'a');
    return a;
  }

  private TestRequest chunkedPut(byte[] body) {
    return TestRequest.of("PUT", "/examplebucket/chunkObject.txt").header("Host", "s3.amazonaws.com")
        .header("x-amz-date", "20130524T000000Z").header("x-amz-storage-class", "REDUCED_REDUNDANCY")
        .header("Authorization", authorization("content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
            + "x-amz-decoded-content-length;x-amz-storage-class",
            "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"))
        .header("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD").header("Content-Encoding", "aws-chunked")
        .header("x-amz-decoded-content-length", "66560").header("Content-Length", "66824").body(body);
  }

  private static final String[] CHUNK_SIGNATURES = {"ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
      "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
      "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"};

  @Test
  void chunkedUpload() throws Exception {
    byte[] body = chunkedBody(CHUNK_SIGNATURES, "\r\n");
    assertEquals(66824, body.length);
    AuthResult r = auth.authenticate(chunkedPut(body).build(), CHUNK_OBJECT);
    assertEquals(66560, r.payloadLength());
    assertArrayEquals(sixtyFiveKilobytesOfA(), r.payload().readAllBytes());

    // one byte of data changed: the chunk's signature no longer matches
    byte[] corrupt = body.clone();
    corrupt[1000] = 'b';
    AuthResult c = auth.authenticate(chunkedPut(corrupt).build(), CHUNK_OBJECT);
    PayloadVerificationException e = assertThrows(PayloadVerificationException.class, () -> c.payload().readAllBytes());
    assertEquals("SignatureDoesNotMatch", e.error().code());
    assertEquals(403, e.error().status());

    // the chunks in another order (the second's signature first) break the chain
    String[] swapped = {CHUNK_SIGNATURES[1], CHUNK_SIGNATURES[0], CHUNK_SIGNATURES[2]};
    AuthResult s = auth.authenticate(chunkedPut(chunkedBody(swapped, "\r\n")).build(), CHUNK_OBJECT);
    assertEquals("SignatureDoesNotMatch",
        assertThrows(PayloadVerificationException.class, () -> s.payload().readAllBytes()).error().code());
  }

  private TestRequest trailerPut(byte[] body) {
    return TestRequest.of("PUT", "/examplebucket/chunkObject.txt").header("Host", "s3.amazonaws.com")
        .header("x-amz-date", "20130524T000000Z").header("x-amz-storage-class", "REDUCED_REDUNDANCY")
        .header("Authorization", authorization("content-encoding;host;x-amz-content-sha256;x-amz-date;"
            + "x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer",
            "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e"))
        .header("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER")
        .header("Content-Encoding", "aws-chunked").header("x-amz-decoded-content-length", "66560")
        .header("x-amz-trailer", "x-amz-checksum-crc32c").body(body);
  }

  private static final String[] TRAILER_CHUNK_SIGNATURES = {
      "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2",
      "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7",
      "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992"};
  private static final String TRAILER = "x-amz-checksum-crc32c:sOO8/Q==\r\n"
      + "x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n";

  @Test
  void chunkedUploadWithSignedTrailer() throws Exception {
    // the trailer right after the final chunk (as SDKs send it), and after an empty line (as the example shows it)
    for (String trailer : new String[] {TRAILER, "\r\n" + TRAILER}) {
      AuthResult r = auth.authenticate(trailerPut(chunkedBody(TRAILER_CHUNK_SIGNATURES, trailer)).build(), CHUNK_OBJECT);
      assertArrayEquals(sixtyFiveKilobytesOfA(), r.payload().readAllBytes());
    }
    // another checksum value: the trailer's signature does not match any more
    AuthResult other = auth.authenticate(trailerPut(chunkedBody(TRAILER_CHUNK_SIGNATURES,
        TRAILER.replace("sOO8/Q==", "AAAAAA=="))).build(), CHUNK_OBJECT);
    assertEquals("SignatureDoesNotMatch",
        assertThrows(PayloadVerificationException.class, () -> other.payload().readAllBytes()).error().code());
    // a changed trailer signature
    AuthResult badSignature = auth.authenticate(trailerPut(chunkedBody(TRAILER_CHUNK_SIGNATURES,
        TRAILER.replace("d81f82fc", "d81f82fd"))).build(), CHUNK_OBJECT);
    assertEquals("SignatureDoesNotMatch",
        assertThrows(PayloadVerificationException.class, () -> badSignature.payload().readAllBytes()).error().code());
  }

  /** The signature version 2 example of the S3 developer guide ("Object GET", virtual-hosted johnsmith). */
  @Test
  void signatureVersion2ObjectGet() throws Exception {
    SignatureAuthenticator at2007 = new SignatureAuthenticator(new TestUsers(TestUsers.AWS_EXAMPLE),
        Clock.fixed(Instant.parse("2007-03-27T19:36:42Z"), ZoneOffset.UTC), "eucalyptus");
    S3RequestTarget puppy = new S3RequestTarget("johnsmith", "photos/puppy.jpg", true, "");
    AuthResult r = at2007.authenticate(TestRequest.of("GET", "/photos/puppy.jpg")
        .header("Host", "johnsmith.s3.amazonaws.com").header("Date", "Tue, 27 Mar 2007 19:36:42 +0000")
        .header("Authorization", "AWS AKIAIOSFODNN7EXAMPLE:bWq2s1WEIj+Ydj0vQ697zp+IXMU=").build(), puppy);
    assertEquals("example", r.user().orElseThrow().name());
    SignatureMismatchException e = assertThrows(SignatureMismatchException.class, () -> at2007.authenticate(
        TestRequest.of("GET", "/photos/kitten.jpg").header("Host", "johnsmith.s3.amazonaws.com")
            .header("Date", "Tue, 27 Mar 2007 19:36:42 +0000")
            .header("Authorization", "AWS AKIAIOSFODNN7EXAMPLE:bWq2s1WEIj+Ydj0vQ697zp+IXMU=").build(),
        new S3RequestTarget("johnsmith", "photos/kitten.jpg", true, "")));
    assertEquals("GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/kitten.jpg", e.stringToSign());
  }

  /** "Example: Browser-based upload using HTTP POST (using AWS Signature Version 4)". */
  @Test
  void browserPostWithSignatureVersion4() throws Exception {
    SignatureAuthenticator at2015 = new SignatureAuthenticator(new TestUsers(TestUsers.AWS_EXAMPLE),
        Clock.fixed(Instant.parse("2015-12-29T00:00:00Z"), ZoneOffset.UTC), "eucalyptus");
    assertEquals("example", at2015.verifyPostPolicy(PostPolicyTest.awsExampleFields()).orElseThrow().name());

    var otherSignature = PostPolicyTest.awsExampleFields();
    otherSignature.put("x-amz-signature", "8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699f");
    S3Exception e = assertThrows(S3Exception.class, () -> at2015.verifyPostPolicy(otherSignature));
    assertEquals("SignatureDoesNotMatch", e.code());

    SignatureAuthenticator later = new SignatureAuthenticator(new TestUsers(TestUsers.AWS_EXAMPLE),
        Clock.fixed(Instant.parse("2015-12-30T12:00:01Z"), ZoneOffset.UTC), "eucalyptus");
    S3Exception expired = assertThrows(S3Exception.class,
        () -> later.verifyPostPolicy(PostPolicyTest.awsExampleFields()));
    assertEquals("Invalid according to Policy: Policy expired.", expired.getMessage());
  }
}
