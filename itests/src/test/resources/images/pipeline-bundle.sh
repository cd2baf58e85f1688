#!/bin/bash
# Bundles IMAGE the way ec2-ami-tools does, with tar, gzip and openssl only (no project code):
#   pipeline-bundle.sh IMAGE DEST_DIR USER_CERT USER_KEY CLOUD_CERT [ARCH]
# tar -c --sparse | tee >(sha1) | gzip -9 | openssl enc -aes-128-cbc, split into 10 MiB parts,
# key and IV as hex strings RSA-encrypted for the cloud and the user, a multi-line manifest
# signed (SHA1withRSA) over <machine_configuration> + <image>.
set -euo pipefail
image=$1 dest=$2 ucert=$3 ukey=$4 ccert=$5 arch=${6:-x86_64}
name=$(basename "$image")
mkdir -p "$dest"
key=$(openssl rand -hex 16) iv=$(openssl rand -hex 16)
tar -c --sparse --owner=0 --group=0 -C "$(dirname "$image")" -f "$dest/$name.tar" "$name"
digest=$(openssl dgst -sha1 -r "$dest/$name.tar" | cut -d' ' -f1)
gzip -9 -c "$dest/$name.tar" | openssl enc -aes-128-cbc -K "$key" -iv "$iv" -out "$dest/$name.tar.gz.enc"
rm "$dest/$name.tar"
bundled=$(stat -c %s "$dest/$name.tar.gz.enc")
(cd "$dest" && split -b 10485760 -d -a 2 "$name.tar.gz.enc" "$name.part.")
rm "$dest/$name.tar.gz.enc"
enc() { printf '%s' "$1" | openssl pkeyutl -encrypt -certin -inkey "$2" -pkeyopt rsa_padding_mode:pkcs1 | od -An -v -tx1 | tr -d " \\n"; }
parts=""
i=0
for p in $(cd "$dest" && ls "$name".part.* | sort); do
  parts="$parts
      <part index=\"$i\">
        <filename>$p</filename>
        <digest algorithm=\"SHA1\">$(openssl dgst -sha1 -r "$dest/$p" | cut -d' ' -f1)</digest>
      </part>"
  i=$((i + 1))
done
mc="<machine_configuration>
    <architecture>$arch</architecture>
  </machine_configuration>"
im="<image>
    <name>$name</name>
    <user>000000000000</user>
    <type>machine</type>
    <digest algorithm=\"SHA1\">$digest</digest>
    <size>$(stat -c %s "$image")</size>
    <bundled_size>$bundled</bundled_size>
    <ec2_encrypted_key algorithm=\"AES-128-CBC\">$(enc "$key" "$ccert")</ec2_encrypted_key>
    <user_encrypted_key algorithm=\"AES-128-CBC\">$(enc "$key" "$ucert")</user_encrypted_key>
    <ec2_encrypted_iv>$(enc "$iv" "$ccert")</ec2_encrypted_iv>
    <user_encrypted_iv>$(enc "$iv" "$ucert")</user_encrypted_iv>
    <parts count=\"$i\">$parts
    </parts>
  </image>"
sig=$(printf '%s%s' "$mc" "$im" | openssl dgst -sha1 -sign "$ukey" | od -An -v -tx1 | tr -d " \\n")
cat > "$dest/$name.manifest.xml" <<XML
<?xml version="1.0" ?>
<manifest>
  <version>2007-10-10</version>
  <bundler>
    <name>ec2-ami-tools</name>
    <version>1.3</version>
    <release>shell</release>
  </bundler>
  $mc
  $im
  <signature>$sig</signature>
</manifest>
XML
echo "$dest/$name.manifest.xml"
