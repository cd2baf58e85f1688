package com.eucalyptus.clc.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.eucalyptus.clc.TestDatabases;
import com.eucalyptus.clc.accounts.Accounts;
import com.eucalyptus.clc.api.Ec2Exception;
import com.eucalyptus.clc.api.QueryRequest;
import com.eucalyptus.clc.persistence.Database;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryAuthenticatorTest {
  @TempDir
  static Path home;
  static Database db;
  static Accounts accounts;
  static Accounts.User alice;
  static QueryAuthenticator auth;

  @BeforeAll
  static void setUp() {
    db = TestDatabases.fileDatabase(home);
    accounts = new Accounts(db);
    alice = accounts.add("alice", "a@example.com", false, null).orElseThrow();
    auth = new QueryAuthenticator(accounts);
  }

  @AfterAll
  static void tearDown() {
    db.close();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
  }

  static String now() {
    return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
  }

  static QueryRequest get(String host, String path, Map<String, String> params) {
    String q = params.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
    return QueryRequest.of("GET", host, path, q, new byte[0], null, Map.of());
  }

  /** Signs as the AWS documentation describes signature version 2, independently of the product. */
  static Map<String, String> v2(String host, String path, String secret, String algorithm, Map<String, String> extra) {
    TreeMap<String, String> p = new TreeMap<>(extra);
    p.put("AWSAccessKeyId", alice.accessKey());
    p.put("SignatureVersion", "2");
    p.put("SignatureMethod", algorithm);
    p.put("Timestamp", now());
    p.put("Version", "2009-04-04");
    String query = p.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
    p.put("Signature", QueryAuthenticator.hmac(algorithm, secret, "GET\n" + host + "\n" + path + "\n" + query));
    return p;
  }

  @Test
  void signatureVersion2WithSha256AndSha1() {
    for (String alg : List.of("HmacSHA256", "HmacSHA1")) {
      Map<String, String> p = v2("127.0.0.1:8773", "/services/Eucalyptus", alice.secretKey(), alg,
          Map.of("Action", "DescribeRegions"));
      assertEquals("alice", auth.authenticate(get("127.0.0.1:8773", "/services/Eucalyptus", p)).name());
    }
  }

  @Test
  void version2AcceptsTheHostWithoutPortAndThePathWithoutServicesAsTheOriginalDid() {
    Map<String, String> p = v2("127.0.0.1", "/Eucalyptus", alice.secretKey(), "HmacSHA256", Map.of("Action", "DescribeRegions"));
    assertEquals("alice", auth.authenticate(get("127.0.0.1:8773", "/services/Eucalyptus", p)).name());
  }

  @Test
  void wrongSecretIsSignatureDoesNotMatch() {
    Map<String, String> p = v2("h:8773", "/services/Eucalyptus", "not-the-secret", "HmacSHA256", Map.of("Action", "X"));
    Ec2Exception e = assertThrows(Ec2Exception.class, () -> auth.authenticate(get("h:8773", "/services/Eucalyptus", p)));
    assertEquals("SignatureDoesNotMatch", e.code());
    assertEquals(403, e.status());
  }

  @Test
  void signatureVersion1() {
    Map<String, String> p = new HashMap<>(Map.of("Action", "DescribeRegions", "AWSAccessKeyId", alice.accessKey(),
        "SignatureVersion", "1", "Timestamp", now(), "Version", "2009-04-04"));
    TreeMap<String, String> sorted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    sorted.putAll(p);
    StringBuilder toSign = new StringBuilder();
    sorted.forEach((k, v) -> toSign.append(k).append(v));
    p.put("Signature", QueryAuthenticator.hmac("HmacSHA1", alice.secretKey(), toSign.toString()));
    assertEquals("alice", auth.authenticate(get("h", "/services/Eucalyptus", p)).name());
  }

  @Test
  void staleTimestampIsRequestExpired() {
    Map<String, String> p = new LinkedHashMap<>(v2("h", "/services/Eucalyptus", alice.secretKey(), "HmacSHA256",
        Map.of("Action", "X")));
    p.put("Timestamp", "2020-01-01T00:00:00Z");
    Ec2Exception e = assertThrows(Ec2Exception.class, () -> auth.authenticate(get("h", "/services/Eucalyptus", p)));
    assertEquals("RequestExpired", e.code());
  }

  @Test
  void disabledUserIsRefusedAtOnce() {
    Accounts.User bob = accounts.add("bob", "", false, null).orElseThrow();
    accounts.setEnabled("bob", false);
    TreeMap<String, String> p = new TreeMap<>(Map.of("Action", "X", "AWSAccessKeyId", bob.accessKey(), "SignatureVersion",
        "2", "SignatureMethod", "HmacSHA256", "Timestamp", now()));
    String query = p.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
    p.put("Signature", QueryAuthenticator.hmac("HmacSHA256", bob.secretKey(), "GET\nh\n/services/Eucalyptus\n" + query));
    Ec2Exception e = assertThrows(Ec2Exception.class, () -> auth.authenticate(get("h", "/services/Eucalyptus", p)));
    assertEquals("AuthFailure", e.code());
    assertEquals("The account of this access key is disabled.", e.getMessage());
    // whoever lacks the secret learns nothing of the account: neither its state nor its name
    p.put("Signature", QueryAuthenticator.hmac("HmacSHA256", "not-bobs-secret", "GET\nh\n/services/Eucalyptus\n" + query));
    Ec2Exception forged = assertThrows(Ec2Exception.class, () -> auth.authenticate(get("h", "/services/Eucalyptus", p)));
    assertEquals("SignatureDoesNotMatch", forged.code());
  }

  @Test
  void anUnconfirmedSignUpCannotUseItsKeysYet() {
    Accounts.User carol = accounts.add("carol", "", false, "password1", false).orElseThrow();
    TreeMap<String, String> p = new TreeMap<>(Map.of("Action", "X", "AWSAccessKeyId", carol.accessKey(), "SignatureVersion",
        "2", "SignatureMethod", "HmacSHA256", "Timestamp", now()));
    String query = p.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
    p.put("Signature", QueryAuthenticator.hmac("HmacSHA256", carol.secretKey(), "GET\nh\n/services/Eucalyptus\n" + query));
    Ec2Exception e = assertThrows(Ec2Exception.class, () -> auth.authenticate(get("h", "/services/Eucalyptus", p)));
    assertEquals("AuthFailure", e.code());
    assertEquals("The account of this access key is not active yet: it must be approved and confirmed.", e.getMessage());
  }

  /** AWS's published signature version 4 example (IAM ListUsers, 2015-08-30). */
  @Test
  void signatureVersion4MatchesAwsPublishedExample() {
    String canonical = "GET\n/\nAction=ListUsers&Version=2010-05-08\n"
        + "content-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
        + "content-type;host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    SigV4.Credential c = new SigV4.Credential("AKIDEXAMPLE", "20150830", "us-east-1", "iam",
        List.of("content-type", "host", "x-amz-date"), "");
    assertEquals("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
        SigV4.signature("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", c, "20150830T123600Z", canonical));
  }

  @Test
  void signatureVersion4RequestForEc2InAnyRegion() {
    String amzDate = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
    byte[] body = "Action=DescribeRegions&Version=2016-11-15".getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new HashMap<>(Map.of("x-amz-date", amzDate, "content-type",
        "application/x-www-form-urlencoded; charset=utf-8"));
    QueryRequest unsigned = QueryRequest.of("POST", "127.0.0.1:8773", "/services/Eucalyptus", null, body,
        "application/x-www-form-urlencoded; charset=utf-8", headers);
    SigV4.Credential c = new SigV4.Credential(alice.accessKey(), amzDate.substring(0, 8), "eucalyptus", "ec2",
        List.of("content-type", "host", "x-amz-date"), "");
    String sig = SigV4.signature(alice.secretKey(), c, amzDate, SigV4.canonicalRequest(unsigned, c.signedHeaders(), false));
    headers.put("authorization", "AWS4-HMAC-SHA256 Credential=" + alice.accessKey() + "/" + amzDate.substring(0, 8)
        + "/eucalyptus/ec2/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=" + sig);
    QueryRequest signed = QueryRequest.of("POST", "127.0.0.1:8773", "/services/Eucalyptus", null, body,
        "application/x-www-form-urlencoded; charset=utf-8", headers);
    assertEquals("alice", auth.authenticate(signed).name());

    headers.put("authorization", headers.get("authorization").replace("/ec2/", "/s3/"));
    QueryRequest wrongService = QueryRequest.of("POST", "127.0.0.1:8773", "/services/Eucalyptus", null, body,
        "application/x-www-form-urlencoded; charset=utf-8", headers);
    assertEquals("AuthFailure", assertThrows(Ec2Exception.class, () -> auth.authenticate(wrongService)).code());
  }
}
