"""Shared code of the project's euca2ools-style commands (euca-bundle-image, euca-upload-bundle,
euca-register, euca-deregister, euca-describe-images, euca-delete-bundle).

Written as euca2ools 1.x were, but with only the Python 3 standard library and the openssl
command: the eucarc environment, EC2 Query requests signed with signature version 2
(HmacSHA256), S3 (Walrus) requests signed with S3 signature version 2 (path-style; the
signed resource includes the service path, e.g. /services/Walrus/bucket/key, as boto signs it),
and the AMI bundle format of manifest version 2007-10-10 (tar -> gzip -> AES-128-CBC -> 10 MiB
parts; key and IV as hex strings RSA-encrypted with PKCS#1 v1.5 for the user's and the cloud's
certificate; the manifest signed SHA1withRSA with the user's key).
"""
import base64
import datetime
import email.utils
import getopt
import hashlib
import hmac
import http.client
import os
import subprocess
import sys
import tarfile
import threading
import urllib.parse
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

VERSION = "1.5.2"
EC2_API_VERSION = "2009-04-04"
PART_SIZE = 10 * 1024 * 1024
BUNDLER_NAME = "euca-tools"
BUNDLER_VERSION = "1.0"
OPENSSL = "openssl"


class UsageError(Exception):
    """Bad command line: printed with the command's usage."""


class CommandError(Exception):
    """A failure the user should read: printed as 'command: message', exit status 1."""


# ---- command line and environment -----------------------------------------------------------

def parse_args(argv, usage, short, long_opts):
    """getopt with the usage printed on errors and -h/--help."""
    try:
        opts, args = getopt.gnu_getopt(argv, "h" + short, ["help"] + long_opts)
    except getopt.GetoptError as e:
        raise UsageError(str(e))
    values = {}
    for name, value in opts:
        if name in ("-h", "--help"):
            print(usage)
            sys.exit(0)
        values.setdefault(name, []).append(value)
    return values, args


def opt(values, *names, default=None):
    """The last value given for any of names (e.g. '-c', '--cert')."""
    found = default
    for name in names:
        if name in values:
            found = values[name][-1]
    return found


def env(name, fallback=None):
    value = os.environ.get(name)
    return value if value else fallback


def main(command, run):
    """Runs run(argv) as command: prints errors the way euca2ools did and sets the exit status."""
    try:
        run(sys.argv[1:])
    except UsageError as e:
        print("%s: %s" % (command, e), file=sys.stderr)
        print("Try '%s --help'." % command, file=sys.stderr)
        sys.exit(2)
    except CommandError as e:
        print("%s: %s" % (command, e), file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)


class Credentials:
    """Access key, secret key and endpoint from options (-a, -s, -U/--url) or the eucarc."""

    def __init__(self, values, url_variable, short_key_options=True):
        # euca-describe-images uses -a for --all: its keys are given by long names only
        access = ("-a", "--access-key") if short_key_options else ("--access-key",)
        secret = ("-s", "--secret-key") if short_key_options else ("--secret-key",)
        self.access_key = opt(values, *access, default=env("EC2_ACCESS_KEY"))
        self.secret_key = opt(values, *secret, default=env("EC2_SECRET_KEY"))
        self.url = opt(values, "-U", "--url", default=env(url_variable))
        if not self.access_key or not self.secret_key:
            raise CommandError("no access key or secret key: source your eucarc or give -a and -s")
        if not self.url:
            raise CommandError("no endpoint: set %s (source your eucarc) or give --url" % url_variable)


# ---- progress -------------------------------------------------------------------------------

class Progress:
    """A one-line progress display on stderr (only when stderr is a terminal, or forced)."""

    def __init__(self, label, total):
        self.label = label
        self.total = max(total, 1)
        self.done = 0
        self.shown = -1
        self.enabled = sys.stderr.isatty() or env("EUCA_PROGRESS") == "1"

    def add(self, count):
        self.done += count
        percent = min(100, self.done * 100 // self.total)
        if self.enabled and percent != self.shown:
            self.shown = percent
            bar = "#" * (percent // 4)
            sys.stderr.write("\r%s |%-25s| %3d%% %s" % (self.label, bar, percent, human(self.done)))
            sys.stderr.flush()

    def finish(self):
        if self.enabled:
            if self.shown < 100:
                self.done = self.total
                self.add(0)
            sys.stderr.write("\n")
            sys.stderr.flush()


def human(count):
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return "%d %s" % (count, unit) if unit == "B" else "%.1f %s" % (count, unit)
        count /= 1024.0


# ---- openssl --------------------------------------------------------------------------------

def openssl(args, data=None):
    """Runs openssl; its output (bytes), or a CommandError with its message."""
    try:
        result = subprocess.run([OPENSSL] + args, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except FileNotFoundError:
        raise CommandError("the openssl command is needed (apt-get install openssl)")
    if result.returncode != 0:
        raise CommandError("openssl %s failed: %s" % (args[0], result.stderr.decode(errors="replace").strip()))
    return result.stdout


def rsa_encrypt_for_cert(cert_path, data):
    """RSA/PKCS#1 v1.5 encryption with the public key of a PEM certificate, hex-encoded."""
    return openssl(["pkeyutl", "-encrypt", "-certin", "-inkey", cert_path,
                    "-pkeyopt", "rsa_padding_mode:pkcs1"], data).hex()


def rsa_decrypt(key_path, hex_data):
    return openssl(["pkeyutl", "-decrypt", "-inkey", key_path, "-pkeyopt", "rsa_padding_mode:pkcs1"],
                   bytes.fromhex(hex_data))


def sign_sha1_rsa(key_path, data):
    """SHA1withRSA signature with a PEM private key, hex-encoded (the manifest's <signature>)."""
    return openssl(["dgst", "-sha1", "-sign", key_path], data).hex()


def check_readable(path, what):
    if not path:
        raise CommandError("no %s given" % what)
    if not os.path.isfile(path) or not os.access(path, os.R_OK):
        raise CommandError("%s %s cannot be read" % (what, path))


# ---- bundling -------------------------------------------------------------------------------

class _CountingReader:
    """The image file, read by tarfile: counts progress and computes the image's SHA1."""

    def __init__(self, f, progress):
        self.f = f
        self.progress = progress
        self.sha1 = hashlib.sha1()

    def read(self, size=-1):
        data = self.f.read(size)
        self.sha1.update(data)
        self.progress.add(len(data))
        return data


class _PartWriter:
    """Cuts the encrypted stream into PART_SIZE parts named <prefix>.part.<n>, hashing each."""

    def __init__(self, directory, prefix):
        self.directory = directory
        self.prefix = prefix
        self.parts = []  # (filename, sha1 hex)
        self.size = 0
        self._file = None
        self._sha1 = None
        self._left = 0

    def write(self, data):
        view = memoryview(data)
        while len(view):
            if self._file is None:
                name = "%s.part.%d" % (self.prefix, len(self.parts))
                self._file = open(os.path.join(self.directory, name), "wb")
                self._name = name
                self._sha1 = hashlib.sha1()
                self._left = PART_SIZE
            chunk = view[:self._left]
            self._file.write(chunk)
            self._sha1.update(chunk)
            self._left -= len(chunk)
            self.size += len(chunk)
            view = view[len(chunk):]
            if self._left == 0:
                self._close_part()

    def _close_part(self):
        self._file.close()
        self.parts.append((self._name, self._sha1.hexdigest()))
        self._file = None

    def close(self):
        if self._file is not None:
            self._close_part()


def bundle_image(image, destination, prefix, user_id, user_cert, user_key, cloud_cert,
                 arch="i386", kernel=None, ramdisk=None, image_type=None, block_device_mapping=None,
                 product_codes=None):
    """Bundles image into destination; returns the manifest's path.

    tar (one file, owner 0) -> gzip -> openssl enc -aes-128-cbc -> parts, in one streaming pass.
    The image digest is the SHA1 of the image file, as euca2ools 1.0 wrote it.
    """
    check_readable(image, "image")
    check_readable(user_cert, "certificate (-c)")
    check_readable(user_key, "private key (-k)")
    check_readable(cloud_cert, "cloud certificate (--ec2cert)")
    if not os.path.isdir(destination):
        raise CommandError("destination %s is not a folder" % destination)
    size = os.path.getsize(image)
    key = os.urandom(16).hex()
    iv = os.urandom(16).hex()
    for path in [os.path.join(destination, prefix + ".manifest.xml")]:
        if os.path.exists(path):
            os.remove(path)

    progress = Progress("Bundling %s" % os.path.basename(image), size)
    parts = _PartWriter(destination, prefix)
    enc = subprocess.Popen([OPENSSL, "enc", "-e", "-aes-128-cbc", "-K", key, "-iv", iv],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    failure = []

    def collect():
        try:
            while True:
                data = enc.stdout.read(1024 * 1024)
                if not data:
                    break
                parts.write(data)
        except Exception as e:  # reported by the main thread
            failure.append(e)

    collector = threading.Thread(target=collect, daemon=True)
    collector.start()
    try:
        with open(image, "rb") as f:
            reader = _CountingReader(f, progress)
            info = tarfile.TarInfo(os.path.basename(image))
            info.size = size
            info.mode = 0o644
            info.mtime = int(os.path.getmtime(image))
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            with tarfile.open(fileobj=enc.stdin, mode="w|gz", format=tarfile.GNU_FORMAT,
                              bufsize=1024 * 1024) as tar:
                tar.addfile(info, reader)
        enc.stdin.close()
    except BrokenPipeError:
        pass
    collector.join()
    error = enc.stderr.read().decode(errors="replace").strip()
    if enc.wait() != 0 or failure:
        raise CommandError("encryption failed: %s" % (error or failure[0]))
    parts.close()
    progress.finish()

    manifest = make_manifest(
        prefix=prefix, user_id=user_id, image_type=image_type or _type_of(kernel, ramdisk),
        arch=arch, kernel=kernel, ramdisk=ramdisk, digest=reader.sha1.hexdigest(), size=size,
        bundled_size=parts.size, key=key, iv=iv, user_cert=user_cert, cloud_cert=cloud_cert,
        parts=parts.parts, block_device_mapping=block_device_mapping, product_codes=product_codes)
    signed = signed_text(manifest)
    signature = sign_sha1_rsa(user_key, signed.encode())
    manifest = manifest.replace("<signature></signature>", "<signature>%s</signature>" % signature)
    path = os.path.join(destination, prefix + ".manifest.xml")
    with open(path, "w") as f:
        f.write(manifest)
    return path


def _type_of(kernel, ramdisk):
    if kernel == "true":
        return "kernel"
    if ramdisk == "true":
        return "ramdisk"
    return "machine"


def make_manifest(prefix, user_id, image_type, arch, kernel, ramdisk, digest, size, bundled_size,
                  key, iv, user_cert, cloud_cert, parts, block_device_mapping=None, product_codes=None):
    """The manifest text (one line, as euca2ools wrote it), with an empty <signature>."""
    machine = "<architecture>%s</architecture>" % escape(arch)
    if block_device_mapping:
        machine += "<block_device_mapping>%s</block_device_mapping>" % "".join(
            "<mapping><virtual>%s</virtual><device>%s</device></mapping>" % (escape(v), escape(d))
            for v, d in block_device_mapping)
    if kernel:
        machine += "<kernel_id>%s</kernel_id>" % escape(kernel)
    if ramdisk:
        machine += "<ramdisk_id>%s</ramdisk_id>" % escape(ramdisk)
    if product_codes:
        machine += "<product_codes>%s</product_codes>" % "".join(
            "<product_code>%s</product_code>" % escape(c) for c in product_codes)
    part_xml = "".join(
        '<part index="%d"><filename>%s</filename><digest algorithm="SHA1">%s</digest></part>'
        % (i, escape(name), sha1) for i, (name, sha1) in enumerate(parts))
    image = (
        "<name>%s</name><user>%s</user><type>%s</type>" % (escape(prefix), escape(user_id), image_type)
        + '<digest algorithm="SHA1">%s</digest>' % digest
        + "<size>%d</size><bundled_size>%d</bundled_size>" % (size, bundled_size)
        + '<ec2_encrypted_key algorithm="AES-128-CBC">%s</ec2_encrypted_key>'
        % rsa_encrypt_for_cert(cloud_cert, key.encode())
        + '<user_encrypted_key algorithm="AES-128-CBC">%s</user_encrypted_key>'
        % rsa_encrypt_for_cert(user_cert, key.encode())
        + "<ec2_encrypted_iv>%s</ec2_encrypted_iv>" % rsa_encrypt_for_cert(cloud_cert, iv.encode())
        + "<user_encrypted_iv>%s</user_encrypted_iv>" % rsa_encrypt_for_cert(user_cert, iv.encode())
        + '<parts count="%d">%s</parts>' % (len(parts), part_xml))
    return ('<?xml version="1.0" ?><manifest><version>2007-10-10</version>'
            "<bundler><name>%s</name><version>%s</version><release>%s</release></bundler>"
            "<machine_configuration>%s</machine_configuration><image>%s</image>"
            "<signature></signature></manifest>"
            % (BUNDLER_NAME, BUNDLER_VERSION, VERSION, machine, image))


def signed_text(manifest):
    """<machine_configuration>...</machine_configuration><image>...</image>, as written."""
    start = manifest.find("<machine_configuration>")
    end = manifest.find("</machine_configuration>") + len("</machine_configuration>")
    image_start = manifest.find("<image>")
    image_end = manifest.find("</image>") + len("</image>")
    if image_start < 0 or image_end < len("</image>"):
        raise CommandError("manifest has no <image>")
    prefix = manifest[start:end] if start >= 0 else ""
    return prefix + manifest[image_start:image_end]


def read_manifest(path):
    """(parsed element tree root, text) of a local manifest file."""
    try:
        with open(path) as f:
            text = f.read()
        return ET.fromstring(text), text
    except OSError as e:
        raise CommandError("cannot read manifest %s: %s" % (path, e.strerror))
    except ET.ParseError as e:
        raise CommandError("%s is not a manifest: %s" % (path, e))


def manifest_parts(root):
    """The part file names a manifest lists, in index order."""
    parts = root.findall("./image/parts/part")
    parts.sort(key=lambda p: int(p.get("index", "0")))
    return [p.findtext("filename") for p in parts]


# ---- S3 (Walrus) requests, signature version 2 ----------------------------------------------

S3_SUBRESOURCES = ("acl", "location", "logging", "torrent", "versioning", "uploads", "uploadId",
                   "partNumber", "versionId", "policy", "lifecycle", "website", "cors", "tagging")


def s3_string_to_sign(method, path, query, headers):
    """S3 signature v2's StringToSign for a path-style request (path includes the service path)."""
    lower = {k.lower(): v.strip() for k, v in headers.items()}
    amz = sorted((k, v) for k, v in lower.items() if k.startswith("x-amz-"))
    resource = path
    sub = sorted((k, v) for k, v in urllib.parse.parse_qsl(query, keep_blank_values=True) if k in S3_SUBRESOURCES)
    if sub:
        resource += "?" + "&".join(k if v == "" else "%s=%s" % (k, v) for k, v in sub)
    return "\n".join([method, lower.get("content-md5", ""), lower.get("content-type", ""),
                      lower.get("date", "")] + ["%s:%s" % kv for kv in amz] + [resource])


def s3_authorization(access_key, secret_key, method, path, query, headers):
    digest = hmac.new(secret_key.encode(), s3_string_to_sign(method, path, query, headers).encode(),
                      hashlib.sha1).digest()
    return "AWS %s:%s" % (access_key, base64.b64encode(digest).decode())


class S3:
    """A minimal path-style S3 client for Walrus (S3_URL like http://host:8773/services/Walrus)."""

    def __init__(self, credentials):
        self.credentials = credentials
        url = urllib.parse.urlsplit(credentials.url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise CommandError("bad S3 URL %s" % credentials.url)
        self.scheme = url.scheme
        self.netloc = url.netloc
        self.base_path = url.path.rstrip("/")

    def path(self, bucket=None, key=None):
        path = self.base_path + "/"
        if bucket:
            path += urllib.parse.quote(bucket, safe="")
            if key is not None:
                path += "/" + urllib.parse.quote(key, safe="/")
        return path

    def request(self, method, bucket=None, key=None, query="", headers=None, body=None, length=None,
                progress=None):
        """(status, headers, body bytes). body may be bytes or a file object (then length is needed)."""
        headers = dict(headers or {})
        headers["Date"] = email.utils.formatdate(usegmt=True)
        path = self.path(bucket, key)
        headers["Authorization"] = s3_authorization(self.credentials.access_key, self.credentials.secret_key,
                                                    method, path, query, headers)
        if body is None:
            length = 0
        elif isinstance(body, bytes):
            length = len(body)
        headers["Content-Length"] = str(length)
        conn_class = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
        conn = conn_class(self.netloc, timeout=300)
        try:
            conn.putrequest(method, path + ("?" + query if query else ""), skip_accept_encoding=True)
            for name, value in headers.items():
                conn.putheader(name, value)
            conn.endheaders()
            if isinstance(body, bytes):
                conn.send(body)
                if progress:
                    progress.add(len(body))
            elif body is not None:
                while True:
                    chunk = body.read(256 * 1024)
                    if not chunk:
                        break
                    conn.send(chunk)
                    if progress:
                        progress.add(len(chunk))
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        except OSError as e:
            raise CommandError("cannot reach %s: %s" % (self.credentials.url, e))
        finally:
            conn.close()

    def check(self, status, body, what):
        if status >= 300:
            raise CommandError("%s failed: %s" % (what, s3_error(status, body)))


def s3_error(status, body):
    try:
        root = ET.fromstring(body)
        code = root.findtext("Code") or root.findtext(".//{*}Code")
        message = root.findtext("Message") or root.findtext(".//{*}Message")
        if code:
            return "%s: %s (HTTP %d)" % (code, message or "", status)
    except ET.ParseError:
        pass
    return "HTTP %d %s" % (status, body[:200].decode(errors="replace"))


# ---- EC2 Query requests, signature version 2 ------------------------------------------------

def ec2_quote(value):
    return urllib.parse.quote(value, safe="-_.~")


def ec2_string_to_sign(method, host, path, params):
    query = "&".join("%s=%s" % (ec2_quote(k), ec2_quote(v)) for k, v in sorted(params.items()))
    return "%s\n%s\n%s\n%s" % (method, host.lower(), path or "/", query)


def ec2_sign(secret_key, method, host, path, params):
    """Adds SignatureVersion 2 (HmacSHA256) to params and returns them."""
    params["SignatureMethod"] = "HmacSHA256"
    params["SignatureVersion"] = "2"
    params.pop("Signature", None)
    digest = hmac.new(secret_key.encode(), ec2_string_to_sign(method, host, path, params).encode(),
                      hashlib.sha256).digest()
    params["Signature"] = base64.b64encode(digest).decode()
    return params


class EC2:
    """EC2 Query API client (EC2_URL like http://host:8773/services/Eucalyptus)."""

    def __init__(self, credentials):
        self.credentials = credentials
        url = urllib.parse.urlsplit(credentials.url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise CommandError("bad EC2 URL %s" % credentials.url)
        self.scheme = url.scheme
        self.netloc = url.netloc
        self.path = url.path or "/"

    def call(self, action, params):
        """The response's root element; EC2 errors become CommandError 'Code: Message'."""
        params = dict(params)
        params.update({
            "Action": action,
            "AWSAccessKeyId": self.credentials.access_key,
            "Version": EC2_API_VERSION,
            "Timestamp": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        })
        ec2_sign(self.credentials.secret_key, "POST", self.netloc, self.path, params)
        body = urllib.parse.urlencode(params, quote_via=urllib.parse.quote).encode()
        conn_class = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
        conn = conn_class(self.netloc, timeout=120)
        try:
            conn.request("POST", self.path, body=body,
                         headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
            response = conn.getresponse()
            status, data = response.status, response.read()
        except OSError as e:
            raise CommandError("cannot reach %s: %s" % (self.credentials.url, e))
        finally:
            conn.close()
        try:
            root = ET.fromstring(data)
        except ET.ParseError:
            raise CommandError("HTTP %d from %s: %s" % (status, self.credentials.url, data[:200].decode(errors="replace")))
        if status >= 300 or local(root.tag) in ("Response", "ErrorResponse"):
            code = find_text(root, "Code")
            message = find_text(root, "Message")
            raise CommandError("%s: %s" % (code or "HTTP %d" % status, message or ""))
        return root


def local(tag):
    return tag.rsplit("}", 1)[-1]


def find_text(root, name):
    for e in root.iter():
        if local(e.tag) == name:
            return (e.text or "").strip()
    return None


def children(element, name):
    return [c for c in element if local(c.tag) == name]


def child_text(element, name):
    for c in element:
        if local(c.tag) == name:
            return (c.text or "").strip()
    return ""


def numbered(params, prefix, values):
    for i, value in enumerate(values, 1):
        params["%s.%d" % (prefix, i)] = value
