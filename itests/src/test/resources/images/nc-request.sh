#!/bin/bash
# An internal Walrus request as the Node Controller sends it (1.5.2 storage/walrus.c), made with
# curl and openssl only, so the test does not share code with the server:
#   nc-request.sh OP PATH[?QUERY] OUT CERT KEY [BASE_URL]
# OP: GetDecryptedImage | CheckImage | CacheImage | FlushCachedImage, or - for none (the NC's
#     plain signed GET of the manifest)
# Writes the body to OUT, the response headers to OUT.headers; prints the HTTP status.
set -euo pipefail
op=$1 path=$2 out=$3 cert=$4 key=$5 base=${6:-http://127.0.0.1:8773}
date=$(LC_ALL=C TZ=UTC date '+%a %b %e %H:%M:%S %Y')   # asctime(gmtime()), as the C client
sig=$(printf 'GET\n%s\n%s\n' "$date" "${path%%\?*}" | openssl dgst -sha1 -sign "$key" | base64 -w0)
opheader=(-H "EucaOperation: $op")
[ "$op" = - ] && opheader=()
curl -s -o "$out" -D "$out.headers" -w '%{http_code}' \
  -H "Authorization: Euca" -H "Date: $date" "${opheader[@]}" \
  -H "EucaCert: $(base64 -w0 < "$cert")" -H "EucaSignature: $sig" "$base$path"
