package com.eucalyptus.itests.support.s3;

import com.eucalyptus.itests.support.CloudInstallation.Credentials;
import com.eucalyptus.itests.support.S3Http;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A browser's POST form upload, built by hand and sent as plain HTTP multipart/form-data: a policy
 * document signed with signature v2 (HMAC-SHA1 of the base64 policy) or v4 (the AWS4 signing key
 * of the day, region and service "s3"), as an HTML form a web page hands to a browser would carry.
 */
public final class PostForm {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private PostForm() {
  }

  /** The fields of a form for {@code bucket}/{@code key}, policy valid 10 minutes, signed v2 or v4. */
  public static Map<String, String> fields(Credentials c, String bucket, String key, boolean v4) {
    Instant now = Instant.now();
    String expiration = DateTimeFormatter.ISO_INSTANT.format(now.plus(Duration.ofMinutes(10)).truncatedTo(
        java.time.temporal.ChronoUnit.SECONDS));
    Map<String, String> f = new LinkedHashMap<>();
    f.put("key", key);
    f.put("success_action_status", "201");
    f.put("Content-Type", "text/plain");
    StringBuilder conditions = new StringBuilder("{\"bucket\": \"" + bucket + "\"}, [\"starts-with\", \"$key\", \"\"], "
        + "{\"success_action_status\": \"201\"}, [\"starts-with\", \"$Content-Type\", \"text/\"]");
    String day = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC).format(now);
    String credential = c.accessKey() + "/" + day + "/us-east-1/s3/aws4_request";
    String amzDate = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(now);
    if (v4) {
      conditions.append(", {\"x-amz-algorithm\": \"AWS4-HMAC-SHA256\"}, {\"x-amz-credential\": \"").append(credential)
          .append("\"}, {\"x-amz-date\": \"").append(amzDate).append("\"}");
    }
    String policy = "{\"expiration\": \"" + expiration + "\", \"conditions\": [" + conditions + "]}";
    String policyB64 = Base64.getEncoder().encodeToString(policy.getBytes(StandardCharsets.UTF_8));
    if (v4) {
      f.put("x-amz-algorithm", "AWS4-HMAC-SHA256");
      f.put("x-amz-credential", credential);
      f.put("x-amz-date", amzDate);
      f.put("policy", policyB64);
      f.put("x-amz-signature", SigV4.signature(c, day, policyB64));
    } else {
      f.put("AWSAccessKeyId", c.accessKey());
      f.put("policy", policyB64);
      f.put("signature", S3Http.hmacSha1Base64(c.secretKey(), policyB64));
    }
    return f;
  }

  /** POSTs the form with {@code content} as its file to the bucket's path-style URL. */
  public static S3Http.Response post(String bucket, Map<String, String> fields, byte[] content) {
    String boundary = "----walrus-it-" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Map.Entry<String, String> e : fields.entrySet()) {
      write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + e.getKey() + "\"\r\n\r\n"
          + e.getValue() + "\r\n");
    }
    write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"upload.txt\"\r\n"
        + "Content-Type: text/plain\r\n\r\n");
    body.writeBytes(content);
    write(body, "\r\n--" + boundary + "--\r\n");
    HttpRequest req = HttpRequest.newBuilder(URI.create(S3Http.ENDPOINT + "/" + bucket))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).timeout(Duration.ofMinutes(2)).build();
    try {
      HttpResponse<byte[]> r = HTTP.send(req, HttpResponse.BodyHandlers.ofByteArray());
      Map<String, java.util.List<String>> headers = new java.util.TreeMap<>();
      r.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(), v));
      return new S3Http.Response(r.statusCode(), headers, r.body());
    } catch (Exception e) {
      throw new IllegalStateException("POST form to " + bucket, e);
    }
  }

  private static void write(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }
}
