package com.eucalyptus.clc.compute.keys;

import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.clc.persistence.KeyPairEntity;
import com.eucalyptus.runtime.crypto.Pem;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Optional;

/** Users' key pairs: made here (the private key returned once), imported, listed, deleted. */
public final class KeyPairs {
  /** EC2 allows up to 255 ASCII characters in a key name. */
  private static final int MAX_NAME = 255;
  private final Database db;

  public KeyPairs(Database db) {
    this.db = db;
  }

  /** A stored key pair, safe to use outside a transaction. */
  public record Key(String owner, String name, String fingerprint, String publicKey) {
    static Key of(KeyPairEntity e) {
      return new Key(e.owner, e.name, e.fingerprint, e.publicKey);
    }
  }

  /** A new key pair and its private key in PEM, which is not kept. */
  public record Created(Key key, String privateKeyPem) {}

  /** Thrown when the name is taken. */
  public static final class DuplicateKeyException extends RuntimeException {
    DuplicateKeyException(String name) {
      super("The key pair '" + name + "' already exists.");
    }
  }

  public static void checkName(String name) {
    if (name == null || name.isEmpty() || name.length() > MAX_NAME || !name.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("a key name is 1 to 255 printable ASCII characters");
    }
  }

  public Created create(String owner, String name) {
    checkName(name);
    KeyPair pair = newRsaKeyPair();
    String publicLine = OpenSshKeys.of((RSAPublicKey) pair.getPublic()).line(name);
    Key key = store(owner, name, OpenSshKeys.sha1Fingerprint(pair.getPrivate().getEncoded()), publicLine);
    return new Created(key, Pem.toPem(pair.getPrivate()));
  }

  /** Imports the public half of a key the user made; the fingerprint is EC2's MD5 of the key blob. */
  public Key importKey(String owner, String name, String publicKeyText) {
    checkName(name);
    OpenSshKeys.PublicKeyLine line = OpenSshKeys.parse(publicKeyText);
    return store(owner, name, line.md5Fingerprint(), line.line(name));
  }

  private Key store(String owner, String name, String fingerprint, String publicLine) {
    return db.tx(s -> {
      if (find(s, owner, name) != null) {
        throw new DuplicateKeyException(name);
      }
      KeyPairEntity e = new KeyPairEntity();
      e.owner = owner;
      e.name = name;
      e.fingerprint = fingerprint;
      e.publicKey = publicLine;
      s.persist(e);
      return Key.of(e);
    });
  }

  public Optional<Key> find(String owner, String name) {
    return db.tx(s -> Optional.ofNullable(find(s, owner, name)).map(Key::of));
  }

  public List<Key> list(String owner) {
    return db.tx(s -> s.createQuery("from KeyPairEntity where owner = :o order by name", KeyPairEntity.class)
        .setParameter("o", owner).getResultList().stream().map(Key::of).toList());
  }

  /** EC2 answers DeleteKeyPair with true even when there was no such key; so does this. */
  public void delete(String owner, String name) {
    db.tx(s -> {
      KeyPairEntity e = find(s, owner, name);
      if (e != null) {
        s.remove(e);
      }
      return null;
    });
  }

  private static KeyPairEntity find(org.hibernate.Session s, String owner, String name) {
    return s.createQuery("from KeyPairEntity where owner = :o and name = :n", KeyPairEntity.class)
        .setParameter("o", owner).setParameter("n", name).getResultStream().findFirst().orElse(null);
  }

  private static KeyPair newRsaKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
