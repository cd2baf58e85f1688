package com.eucalyptus.walrus.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectFilesTest {
  @TempDir
  Path root;

  long count(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  @Test
  void aWriteCutOffLeavesNothing() throws Exception {
    ObjectFiles files = new ObjectFiles(root);
    InputStream failing = new InputStream() {
      int n;

      @Override
      public int read() throws IOException {
        if (n++ > 100_000) {
          throw new IOException("client went away");
        }
        return 'x';
      }
    };
    assertThrows(IOException.class, () -> files.write(failing, Long.MAX_VALUE));
    assertEquals(0, count(root));
    assertThrows(ObjectFiles.TooLargeException.class, () -> files.write(new ByteArrayInputStream(new byte[11]), 10));
    assertEquals(0, count(root));
  }

  @Test
  void aCommittedWriteStaysAndAFailedCommitDeletesItsFile() throws Exception {
    ObjectFiles files = new ObjectFiles(root);
    ObjectFiles.Written w = files.write(new ByteArrayInputStream("hello".getBytes()), 100);
    assertEquals("5d41402abc4b2a76b9719d911017c592", w.md5Hex());
    assertEquals(5, w.size());
    assertEquals(0, files.cleanup(Set::of), "in flight: not touched by a cleanup pass");
    files.commitSection(w.id(), () -> "committed");
    assertTrue(files.exists(w.id()));
    ObjectFiles.Written bad = files.write(new ByteArrayInputStream("x".getBytes()), 100);
    assertThrows(IllegalStateException.class, () -> files.commitSection(bad.id(), () -> {
      throw new IllegalStateException("database down");
    }));
    assertFalse(files.exists(bad.id()));
    assertEquals(1, files.cleanup(Set::of), "no row references it any longer");
    assertFalse(files.exists(w.id()));
  }

  @Test
  void cleanupKeepsReferencedFilesAndDropsLeftovers() throws Exception {
    ObjectFiles files = new ObjectFiles(root);
    ObjectFiles.Written kept = files.write(new ByteArrayInputStream("keep".getBytes()), 100);
    files.commitSection(kept.id(), () -> null);
    Files.writeString(root.resolve("tmp").resolve("0".repeat(32)), "partial upload from before a crash");
    ObjectFiles.Written orphan = files.write(new ByteArrayInputStream("orphan".getBytes()), 100);
    files.commitSection(orphan.id(), () -> null);
    assertEquals(2, new ObjectFiles(root).cleanup(() -> Set.of(kept.id())));
    assertTrue(files.exists(kept.id()));
    assertFalse(files.exists(orphan.id()));
    assertEquals(1, count(root));
  }

  @Test
  void fileNamesAreIdsNeverKeys() throws Exception {
    ObjectFiles files = new ObjectFiles(root);
    assertThrows(IllegalArgumentException.class, () -> files.path("../../etc/passwd"));
    ObjectFiles.Written w = files.write(new ByteArrayInputStream(new byte[0]), 0);
    assertTrue(files.path(w.id()).startsWith(root.resolve("data")));
  }
}
