package dev.podkit.initwaiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ProtocolException;
import org.junit.jupiter.api.Test;

class ScramSha256Test {
  // The SCRAM-SHA-256 exchange of RFC 7677, section 3.
  private static final String CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
  private static final String SERVER_FIRST = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
      + "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
  private static final String CLIENT_FINAL =
      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
          + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
  // RFC 7677 prints this signature; computed by hand (HMAC(ServerKey, AuthMessage)) it matches.
  private static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

  private final ScramSha256 scram = new ScramSha256("user", "pencil", CLIENT_NONCE);

  @Test
  void clientFirst_rfc7677_namesUserAndNonce() {
    assertEquals("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", scram.clientFirst());
  }

  @Test
  void clientFinal_rfc7677_carriesExpectedProof() throws ProtocolException {
    assertEquals(CLIENT_FINAL, scram.clientFinal(SERVER_FIRST));
  }

  @Test
  void serverFinalValid_rfc7677Signature_isTrue() throws ProtocolException {
    scram.clientFinal(SERVER_FIRST);

    assertTrue(scram.serverFinalValid(SERVER_FINAL));
  }

  @Test
  void serverFinalValid_otherSignature_isFalse() throws ProtocolException {
    scram.clientFinal(SERVER_FIRST);

    // Differs from the real signature in its last bytes only.
    assertFalse(scram.serverFinalValid("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjRyp0E="));
  }

  @Test
  void clientFinal_nonceNotExtendingOurs_throws() {
    ProtocolException e = assertThrows(ProtocolException.class,
        () -> scram.clientFinal("r=someoneElse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));

    assertEquals("scram: server nonce does not extend ours", e.getMessage());
  }

  @Test
  void clientFinal_hugeIterationCount_throws() {
    assertThrows(ProtocolException.class, () -> scram.clientFinal(
        "r=" + CLIENT_NONCE + "x,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=2000000000"));
  }

  @Test
  void clientFinal_missingSalt_throws() {
    assertThrows(ProtocolException.class,
        () -> scram.clientFinal("r=" + CLIENT_NONCE + "x,i=4096"));
  }

  @Test
  void clientFirst_userWithCommaAndEquals_escapesThem() {
    assertEquals("n,,n=a=2Cb=3Dc,r=n", new ScramSha256("a,b=c", "p", "n").clientFirst());
  }

  @Test
  void clientFinal_emptyPassword_stillComputesProof() throws ProtocolException {
    ScramSha256 empty = new ScramSha256("user", "", CLIENT_NONCE);

    assertTrue(empty.clientFinal(SERVER_FIRST).contains(",p="));
  }
}
