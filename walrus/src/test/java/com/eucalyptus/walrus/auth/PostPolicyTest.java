package com.eucalyptus.walrus.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.eucalyptus.walrus.S3Exception;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostPolicyTest {
  /** The policy of AWS's "Example: Browser-based upload using HTTP POST (using AWS Signature Version 4)". */
  static final String AWS_EXAMPLE_POLICY = "eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNC"
      + "iAgICB7ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci91c2VyMS8iXSwNC"
      + "iAgICB7ImFjbCI6ICJwdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2t"
      + "ldC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAia"
      + "W1hZ2UvIl0sDQogICAgeyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cH"
      + "Rpb24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgICB7IngtYW16LWNyZWRlbnR"
      + "pYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXotYWxnb3Jp"
      + "dGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9";

  /** The form fields of that example (names lower-cased), with the bucket it is posted to. */
  static Map<String, String> awsExampleFields() {
    Map<String, String> f = new HashMap<>();
    f.put("bucket", "sigv4examplebucket");
    f.put("key", "user/user1/${filename}");
    f.put("acl", "public-read");
    f.put("success_action_redirect", "http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html");
    f.put("content-type", "image/jpeg");
    f.put("x-amz-meta-uuid", "14365123651274");
    f.put("x-amz-server-side-encryption", "AES256");
    f.put("x-amz-credential", "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request");
    f.put("x-amz-algorithm", "AWS4-HMAC-SHA256");
    f.put("x-amz-date", "20151229T000000Z");
    f.put("x-amz-meta-tag", "");
    f.put("policy", AWS_EXAMPLE_POLICY);
    f.put("x-amz-signature", "8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e");
    return f;
  }

  private static String b64(String json) {
    return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void awsExampleParsesAndItsFormPasses() throws Exception {
    PostPolicy p = PostPolicy.parse(AWS_EXAMPLE_POLICY);
    assertEquals(Instant.parse("2015-12-30T12:00:00Z"), p.expiration());
    assertEquals(11, p.conditions().size());
    p.check(awsExampleFields(), 1000);
    p.checkNotExpired(Instant.parse("2015-12-30T11:59:59Z"));
    S3Exception e = assertThrows(S3Exception.class, () -> p.checkNotExpired(Instant.parse("2015-12-30T12:00:00Z")));
    assertEquals(403, e.status());
    assertEquals("AccessDenied", e.code());
    assertEquals("Invalid according to Policy: Policy expired.", e.getMessage());
  }

  @Test
  void eachConditionKindRefusesWhatItShould() throws Exception {
    PostPolicy p = PostPolicy.parse(AWS_EXAMPLE_POLICY);
    Map<String, String[]> wrong = Map.of(
        "key", new String[] {"user/user2/x", "[\"starts-with\",\"$key\",\"user/user1/\"]"},
        "acl", new String[] {"private", "{\"acl\":\"public-read\"}"},
        "content-type", new String[] {"text/html", "[\"starts-with\",\"$Content-Type\",\"image/\"]"},
        "bucket", new String[] {"otherbucket", "{\"bucket\":\"sigv4examplebucket\"}"});
    for (var w : wrong.entrySet()) {
      Map<String, String> fields = awsExampleFields();
      fields.put(w.getKey(), w.getValue()[0]);
      S3Exception e = assertThrows(S3Exception.class, () -> p.check(fields, 1000), w.getKey());
      assertEquals("AccessDenied", e.code());
      assertEquals("Invalid according to Policy: Policy Condition failed: " + w.getValue()[1], e.getMessage());
    }
    Map<String, String> missing = awsExampleFields();
    missing.remove("x-amz-meta-uuid");
    assertEquals("AccessDenied", assertThrows(S3Exception.class, () -> p.check(missing, 1000)).code());
  }

  @Test
  void fieldsNoConditionNamesAreRefusedExceptTheExemptOnes() throws Exception {
    PostPolicy p = PostPolicy.parse(AWS_EXAMPLE_POLICY);
    Map<String, String> extra = awsExampleFields();
    extra.put("x-amz-meta-other", "1");
    S3Exception e = assertThrows(S3Exception.class, () -> p.check(extra, 1000));
    assertEquals("Invalid according to Policy: Extra input fields: x-amz-meta-other", e.getMessage());
    Map<String, String> exempt = awsExampleFields();
    exempt.put("x-ignore-submit", "Upload");
    exempt.put("file", "");
    assertDoesNotThrow(() -> p.check(exempt, 1000));
  }

  @Test
  void contentLengthRangeAndEqConditions() throws Exception {
    PostPolicy p = PostPolicy.parse(b64("{\"expiration\":\"2030-01-01T00:00:00Z\",\"conditions\":["
        + "[\"content-length-range\", 10, \"100\"], [\"eq\", \"$key\", \"a/b\"], {\"bucket\":\"b\"}]}"));
    Map<String, String> fields = new HashMap<>(Map.of("bucket", "b", "key", "a/b"));
    p.check(fields, 10);
    p.check(fields, 100);
    p.check(fields, -1); // size not known yet
    assertEquals(100, p.maxFileSize());
    assertEquals("EntityTooSmall", assertThrows(S3Exception.class, () -> p.check(fields, 9)).code());
    assertEquals("EntityTooLarge", assertThrows(S3Exception.class, () -> p.checkFileSize(101)).code());
    fields.put("key", "a/bc");
    assertEquals("AccessDenied", assertThrows(S3Exception.class, () -> p.check(fields, 50)).code());
  }

  @Test
  void malformedPoliciesAreInvalidPolicyDocument() {
    String[] bad = {b64("not json"), b64("[1,2]"), b64("{\"conditions\":[]}"),
        b64("{\"expiration\":\"tomorrow\",\"conditions\":[]}"), b64("{\"expiration\":\"2030-01-01T00:00:00Z\"}"),
        b64("{\"expiration\":\"2030-01-01T00:00:00Z\",\"conditions\":[[\"matches\",\"$key\",\".*\"]]}"),
        b64("{\"expiration\":\"2030-01-01T00:00:00Z\",\"conditions\":[[\"eq\",\"key\",\"x\"]]}"),
        b64("{\"expiration\":\"2030-01-01T00:00:00Z\",\"conditions\":[[\"content-length-range\",\"a\",2]]}"),
        "%%%not base64%%%"};
    for (String b : bad) {
      S3Exception e = assertThrows(S3Exception.class, () -> PostPolicy.parse(b), b);
      assertEquals("InvalidPolicyDocument", e.code(), b);
      assertEquals(400, e.status());
    }
  }
}
