package com.eucalyptus.runtime.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.SignatureMethod;
import javax.xml.crypto.dsig.SignedInfo;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMSignContext;
import javax.xml.crypto.dsig.spec.C14NMethodParameterSpec;
import javax.xml.crypto.dsig.spec.TransformParameterSpec;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonLoggingTest {
  @TempDir
  Path dir;

  @Test
  void theFiveLevelsOfTheOriginal() {
    assertEquals(Level.DEBUG, DaemonLogging.parseLevel("DEBUG"));
    assertEquals(Level.INFO, DaemonLogging.parseLevel("info"));
    assertEquals(Level.WARN, DaemonLogging.parseLevel("WARN"));
    assertEquals(Level.ERROR, DaemonLogging.parseLevel("ERROR"));
    assertEquals(Level.FATAL, DaemonLogging.parseLevel("FATAL"));
    assertEquals(Level.INFO, DaemonLogging.parseLevel(""));
  }

  @Test
  void ccLogsAtLoglevelAndCommandsGoToTheGuidesFile() throws Exception {
    LoggerContext ctx = DaemonLogging.init("cc", dir, "WARN");
    try {
      ctx.getLogger("com.eucalyptus.cc.X").info("hidden-info");
      ctx.getLogger("com.eucalyptus.cc.X").error("shown-error");
      ctx.getLogger(DaemonLogging.COMMANDS_LOGGER).info("exec: iptables -L => exit 0");
    } finally {
      ctx.stop();
    }
    String cc = Files.readString(dir.resolve("cc.log"));
    assertTrue(cc.contains("shown-error"), cc);
    assertFalse(cc.contains("hidden-info"), cc);
    assertTrue(Files.readString(dir.resolve("httpd-cc_error_log")).contains("iptables -L"));
  }

  /**
   * Rampart signs every SOAP message with Apache Santuario's XML-signature provider, which at
   * DEBUG writes the canonicalized bytes it digests, i.e. whole signed bodies (user data, public
   * keys). cloud-debug.log always takes DEBUG, so those loggers must be held at WARN there.
   */
  @Test
  void signingAMessageWritesNoSignedBytesIntoTheClcDebugLog() throws Exception {
    LoggerContext ctx = DaemonLogging.init("cloud", dir, "DEBUG");
    try {
      ctx.getLogger("com.eucalyptus.clc.X").debug("our-own-debug-line");
      signWithSantuario("secret-user-data-4711");
    } finally {
      ctx.stop();
    }
    String debug = Files.readString(dir.resolve("cloud-debug.log"));
    assertTrue(debug.contains("our-own-debug-line"), debug);
    assertFalse(debug.contains("secret-user-data-4711"), debug);
    assertFalse(debug.contains("DOMReference"), debug);
    assertFalse(debug.contains("Canonicalizer"), debug);
  }

  private static void signWithSantuario(String text) throws Exception {
    DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
    dbf.setNamespaceAware(true);
    Document doc = dbf.newDocumentBuilder().newDocument();
    Element body = doc.createElementNS("urn:test", "t:Body");
    body.setAttributeNS(null, "Id", "body");
    body.setIdAttributeNS(null, "Id", true);
    body.setTextContent(text);
    doc.appendChild(doc.createElementNS("urn:test", "t:Envelope")).appendChild(body);
    // the provider Rampart/WSS4J use, not the JDK's built-in copy of it
    XMLSignatureFactory f = XMLSignatureFactory.getInstance("DOM", new org.apache.jcp.xml.dsig.internal.dom.XMLDSigRI());
    Reference ref = f.newReference("#body", f.newDigestMethod(DigestMethod.SHA256, null),
        List.of(f.newTransform(Transform.ENVELOPED, (TransformParameterSpec) null),
            f.newTransform(CanonicalizationMethod.EXCLUSIVE, (TransformParameterSpec) null)), null, null);
    SignedInfo si = f.newSignedInfo(
        f.newCanonicalizationMethod(CanonicalizationMethod.EXCLUSIVE, (C14NMethodParameterSpec) null),
        f.newSignatureMethod("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", null), List.of(ref));
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair kp = g.generateKeyPair();
    f.newXMLSignature(si, null).sign(new DOMSignContext(kp.getPrivate(), doc.getDocumentElement()));
  }
}
