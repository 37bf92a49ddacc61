package dev.podkit.configsyncer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SigV4Test {
  private static final SigV4.Credentials EXAMPLE = new SigV4.Credentials("AKIAIOSFODNN7EXAMPLE",
      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", null);

  @Test
  void sign_awsDocumentedGetObjectExample_sameSignature() {
    // "Example: GET Object" of AWS's SigV4 header-based authentication documentation.
    Map<String, String> h = SigV4.sign("GET", URI.create("https://examplebucket.s3.amazonaws.com/test.txt"),
        Map.of("Range", "bytes=0-9"), EXAMPLE, "us-east-1", Instant.parse("2013-05-24T00:00:00Z"));

    assertEquals("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
        + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
        + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41", h.get("Authorization"));
    assertEquals("20130524T000000Z", h.get("x-amz-date"));
  }

  @Test
  void encode_unreservedKept_everythingElsePercentEncoded() {
    assertEquals("a-b_c.d~e%2Ff%20g%C3%A9", SigV4.encode("a-b_c.d~e/f gé"));
  }

  @Test
  void hostHeader_defaultPortLeftOut() {
    assertEquals("s3.example.com", SigV4.hostHeader(URI.create("https://s3.example.com:443/b")));
    assertEquals("127.0.0.1:9000", SigV4.hostHeader(URI.create("http://127.0.0.1:9000/b")));
  }
}
