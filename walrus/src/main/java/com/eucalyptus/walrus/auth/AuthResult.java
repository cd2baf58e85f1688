package com.eucalyptus.walrus.auth;

import java.io.InputStream;
import java.util.Optional;

/**
 * Who sent a request and the payload to read from it.
 *
 * @param user the signer; empty for an anonymous request
 * @param payload the object bytes: the request body, with any aws-chunked encoding removed; its
 *     signatures, SHA-256 and trailing checksums are checked as it is read, and a mismatch is
 *     thrown as {@link PayloadVerificationException} no later than at end of stream, so a writer
 *     that commits only after reading to the end never keeps a bad body
 * @param payloadLength the decoded length in bytes (x-amz-decoded-content-length for chunked
 *     bodies, Content-Length otherwise), or -1 when unknown
 */
public record AuthResult(Optional<WalrusUser> user, InputStream payload, long payloadLength) {}
