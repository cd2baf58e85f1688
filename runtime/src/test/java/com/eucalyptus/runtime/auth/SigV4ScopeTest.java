package com.eucalyptus.runtime.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SigV4ScopeTest {
  /** AWS's published example of deriving the signing key (IAM, 20120215, us-east-1). */
  @Test
  void signingKeyMatchesAwsPublishedExample() {
    SigV4Scope scope = new SigV4Scope("20120215", "us-east-1", "iam");
    assertEquals("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d",
        HexFormat.of().formatHex(scope.signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")));
    assertEquals("20120215/us-east-1/iam/aws4_request", scope.value());
  }

  @Test
  void credentialIsParsedOrRefused() {
    SigV4Scope.Credential c = SigV4Scope.parseCredential("AKID/20130524/eucalyptus/s3/aws4_request");
    assertEquals("AKID", c.accessKey());
    assertEquals(new SigV4Scope("20130524", "eucalyptus", "s3"), c.scope());
    for (String bad : new String[] {"AKID/20130524/eucalyptus/s3", "AKID/2013-05-24/r/s3/aws4_request",
        "/20130524/r/s3/aws4_request", "AKID/20130524/r/s3/aws5_request"}) {
      assertThrows(IllegalArgumentException.class, () -> SigV4Scope.parseCredential(bad), bad);
    }
  }

  @Test
  void rfc3986KeepsOnlyUnreservedCharacters() {
    assertEquals("a%20b%2Bc~d_e-f.g%2Fh%C3%A9", Rfc3986.encode("a b+c~d_e-f.g/hé", false));
    assertEquals("/bucket/a%20key/%24", Rfc3986.encode("/bucket/a key/$", true));
  }
}
