package com.eucalyptus.walrus.images;

/**
 * What a successful decryption produced.
 *
 * @param fileName the image's name inside the bundle's tar archive
 * @param size the image's size in bytes (before any gzip of the output)
 * @param digestMatched which meaning of the manifest's {@code <digest>} matched
 * @param tarSha1 SHA1 of the tar stream, hex
 * @param imageSha1 SHA1 of the image file, hex
 */
public record DecryptedImage(String fileName, long size, DigestKind digestMatched, String tarSha1, String imageSha1) {
  /** The two meanings of the manifest's image digest found in the wild. */
  public enum DigestKind {
    /** SHA1 of the tar stream before gzip: ec2-ami-tools */
    TAR_STREAM,
    /** SHA1 of the image file: euca2ools 1.0 */
    IMAGE_FILE
  }
}
