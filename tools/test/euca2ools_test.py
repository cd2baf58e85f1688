#!/usr/bin/python3
"""Tests of the project's euca2ools commands (tools/euca-*), run by tools/test/euca2ools-tests.sh.

Bundling is checked for real with the openssl command: the parts decrypt to the image, the
manifest's signature verifies against the user's certificate, both encrypted key copies open.
Request signing is checked against botocore's own signers (HmacV1Auth for S3, SigV2Auth for
EC2). Upload, delete, register, describe and deregister run against STAND-INS: Walrus and
RegisterImage are not in this tree yet, so small local servers take their place; they verify
every signature with botocore's signers and keep objects and registrations in memory, so the
commands' requests and their output can be checked end to end. The acceptance tests against the
real Walrus and CLC replace them once those exist.
"""
import base64
import email.utils
import hashlib
import http.server
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest
import urllib.parse

from botocore.auth import HmacV1Auth, SigV2Auth
from botocore.awsrequest import AWSRequest, HTTPHeaders
from botocore.credentials import Credentials

HERE = os.path.dirname(os.path.realpath(__file__))
TOOLS = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(TOOLS, "euca2ools"))
import eucatools  # noqa: E402

ACCESS, SECRET = "AKIDEXAMPLE12345678", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
USER_ID = "123456789012"


def sh(*args, input=None, check=True, env=None):
    result = subprocess.run(list(args), input=input, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    if check and result.returncode != 0:
        raise AssertionError("%s failed (%d): %s" % (args, result.returncode, result.stderr.decode()))
    return result


def tool(name, *args, env_extra=None, check=True):
    env = dict(os.environ)
    env.update(env_extra or {})
    return sh("/usr/bin/python3", os.path.join(TOOLS, name), *args, env=env, check=check)


class Keys:
    dir = None

    @classmethod
    def make(cls):
        cls.dir = tempfile.mkdtemp(prefix="euca2ools-test-")
        for who in ("user", "cloud"):
            sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + who,
               "-keyout", os.path.join(cls.dir, who + "-pk.pem"), "-out", os.path.join(cls.dir, who + "-cert.pem"))
        return cls.dir


def make_image(path, random_mb, hole_mb):
    """random_mb of random data, a hole of hole_mb, then a few random bytes: a sparse image."""
    with open(path, "wb") as f:
        f.write(os.urandom(random_mb << 20))
        f.seek((random_mb + hole_mb) << 20)
        f.write(os.urandom(4096))


def field(manifest, name):
    return re.search(r"<%s(?: [^>]*)?>(.*?)</%s>" % (name, name), manifest).group(1)


class BundleTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.keys = Keys.make()
        cls.image = os.path.join(cls.keys, "root.img")
        make_image(cls.image, 23, 40)
        cls.out = os.path.join(cls.keys, "bundle")
        os.mkdir(cls.out)
        cls.result = tool("euca-bundle-image", "-i", cls.image, "-d", cls.out, "-r", "x86_64",
                          "--ramdisk", "eri-0000ABCD", "--kernel", "eki-0000DCBA", env_extra=cls.env())
        with open(os.path.join(cls.out, "root.img.manifest.xml")) as f:
            cls.manifest = f.read()

    @classmethod
    def env(cls):
        return {"EC2_CERT": os.path.join(cls.keys, "user-cert.pem"),
                "EC2_PRIVATE_KEY": os.path.join(cls.keys, "user-pk.pem"),
                "EUCALYPTUS_CERT": os.path.join(cls.keys, "cloud-cert.pem"),
                "EC2_USER_ID": USER_ID}

    def parts(self):
        return re.findall(r"<filename>(.*?)</filename>", self.manifest)

    def test_prints_what_euca2ools_printed(self):
        self.assertIn(b"Generating manifest " + os.path.join(self.out, "root.img.manifest.xml").encode(),
                      self.result.stdout)

    def test_parts_are_10_MiB_and_match_their_digests(self):
        parts = self.parts()
        self.assertEqual(["root.img.part.0", "root.img.part.1", "root.img.part.2"], parts)
        sizes = [os.path.getsize(os.path.join(self.out, p)) for p in parts]
        self.assertEqual([10 << 20, 10 << 20], sizes[:2])
        self.assertLess(0, sizes[2])
        self.assertEqual(str(sum(sizes)), field(self.manifest, "bundled_size"))
        digests = re.findall(r'<part index="\d+"><filename>.*?</filename><digest algorithm="SHA1">(.*?)</digest>',
                             self.manifest)
        for part, digest in zip(parts, digests):
            actual = sh("openssl", "dgst", "-sha1", "-r", os.path.join(self.out, part)).stdout.split()[0].decode()
            self.assertEqual(actual, digest)

    def cloud_key_and_iv(self):
        key_file = os.path.join(self.keys, "cloud-pk.pem")
        unwrap = lambda hex_: sh("openssl", "pkeyutl", "-decrypt", "-inkey", key_file,  # noqa: E731
                                 input=bytes.fromhex(hex_)).stdout.decode()
        return unwrap(field(self.manifest, "ec2_encrypted_key")), unwrap(field(self.manifest, "ec2_encrypted_iv"))

    def test_decrypts_with_openssl_to_the_image(self):
        key, iv = self.cloud_key_and_iv()
        self.assertRegex(key, "^[0-9a-f]{32}$")
        self.assertRegex(iv, "^[0-9a-f]{32}$")
        encrypted = b""
        for p in self.parts():
            with open(os.path.join(self.out, p), "rb") as f:
                encrypted += f.read()
        tar_gz = sh("openssl", "enc", "-d", "-aes-128-cbc", "-K", key, "-iv", iv, input=encrypted).stdout
        image = sh("tar", "-xzO", input=tar_gz).stdout
        with open(self.image, "rb") as f:
            original = f.read()
        self.assertEqual(hashlib.sha1(original).hexdigest(), hashlib.sha1(image).hexdigest())
        self.assertEqual(hashlib.sha1(original).hexdigest(), field(self.manifest, "digest"))
        self.assertEqual(str(len(original)), field(self.manifest, "size"))

    def test_user_copies_open_with_the_user_key(self):
        key_file = os.path.join(self.keys, "user-pk.pem")
        unwrap = lambda hex_: sh("openssl", "pkeyutl", "-decrypt", "-inkey", key_file,  # noqa: E731
                                 input=bytes.fromhex(hex_)).stdout.decode()
        self.assertEqual(self.cloud_key_and_iv(), (unwrap(field(self.manifest, "user_encrypted_key")),
                                                   unwrap(field(self.manifest, "user_encrypted_iv"))))

    def test_manifest_signature_verifies_with_openssl(self):
        signed = (re.search(r"<machine_configuration>.*?</machine_configuration>", self.manifest).group(0)
                  + re.search(r"<image>.*?</image>", self.manifest).group(0))
        pub = os.path.join(self.keys, "user-pub.pem")
        sh("openssl", "x509", "-pubkey", "-noout", "-in", os.path.join(self.keys, "user-cert.pem"), "-out", pub)
        sig = os.path.join(self.keys, "sig.bin")
        with open(sig, "wb") as f:
            f.write(bytes.fromhex(field(self.manifest, "signature")))
        ok = sh("openssl", "dgst", "-sha1", "-verify", pub, "-signature", sig, input=signed.encode())
        self.assertIn(b"Verified OK", ok.stdout)
        bad = sh("openssl", "dgst", "-sha1", "-verify", pub, "-signature", sig,
                 input=signed.replace("x86_64", "i386").encode(), check=False)
        self.assertNotEqual(0, bad.returncode)

    def test_machine_configuration(self):
        self.assertIn("<machine_configuration><architecture>x86_64</architecture>"
                      "<kernel_id>eki-0000DCBA</kernel_id><ramdisk_id>eri-0000ABCD</ramdisk_id>"
                      "</machine_configuration>", self.manifest)
        self.assertIn("<user>%s</user><type>machine</type>" % USER_ID, self.manifest)
        self.assertIn("<version>2007-10-10</version>", self.manifest)

    def test_kernel_bundle(self):
        out = os.path.join(self.keys, "kernel")
        os.mkdir(out)
        kernel = os.path.join(self.keys, "vmlinuz-test")
        make_image(kernel, 1, 0)
        tool("euca-bundle-image", "-i", kernel, "-d", out, "--kernel", "true", env_extra=self.env())
        with open(os.path.join(out, "vmlinuz-test.manifest.xml")) as f:
            manifest = f.read()
        self.assertIn("<kernel_id>true</kernel_id>", manifest)
        self.assertIn("<type>kernel</type>", manifest)
        self.assertEqual(["vmlinuz-test.part.0"], re.findall(r"<filename>(.*?)</filename>", manifest))

    def test_clear_errors(self):
        r = tool("euca-bundle-image", "-d", self.out, env_extra=self.env(), check=False)
        self.assertEqual(2, r.returncode)
        self.assertIn(b"-i IMAGE is required", r.stderr)
        r = tool("euca-bundle-image", "-i", self.image, "-d", self.out, "--ec2cert", "/nonexistent.pem",
                 env_extra=self.env(), check=False)
        self.assertEqual(1, r.returncode)
        self.assertIn(b"cloud certificate (--ec2cert) /nonexistent.pem cannot be read", r.stderr)
        r = tool("euca-bundle-image", "-i", "/nonexistent.img", env_extra=self.env(), check=False)
        self.assertEqual(1, r.returncode)
        self.assertIn(b"image /nonexistent.img cannot be read", r.stderr)


class SigningTest(unittest.TestCase):
    """Our signers give the signatures botocore's give for the same request."""

    class FixedDateV1(HmacV1Auth):
        def __init__(self, credentials, date):
            super().__init__(credentials)
            self.date = date

        def _get_date(self):
            return self.date

    def test_s3_v2_matches_botocore_hmacv1(self):
        date = email.utils.formatdate(usegmt=True)
        cases = [
            ("PUT", "/services/Walrus/bucket", "", {}),
            ("PUT", "/services/Walrus/bucket/root.img.part.0", "", {"x-amz-acl": "aws-exec-read"}),
            ("PUT", "/services/Walrus/bucket/root.img.manifest.xml", "",
             {"Content-Type": "text/xml", "X-Amz-Acl": "aws-exec-read", "x-amz-meta-b": "2", "x-amz-meta-a": "1"}),
            ("GET", "/services/Walrus/bucket/key%20with%20space", "acl", {}),
            ("GET", "/services/Walrus/bucket", "prefix=a&max-keys=10", {}),
            ("DELETE", "/services/Walrus/bucket/dir/file", "", {"Content-MD5": "1B2M2Y8AsgTpgAmY7PhCfg=="}),
        ]
        for method, path, query, headers in cases:
            with self.subTest(method=method, path=path, query=query):
                headers = dict(headers, Date=date)
                ours = eucatools.s3_authorization(ACCESS, SECRET, method, path, query, headers)
                split = urllib.parse.urlsplit("http://walrus.example:8773" + path + ("?" + query if query else ""))
                hh = HTTPHeaders()
                for k, v in headers.items():
                    hh[k] = v
                theirs = self.FixedDateV1(Credentials(ACCESS, SECRET), date).get_signature(method, split, hh)
                self.assertEqual("AWS %s:%s" % (ACCESS, theirs), ours)

    def test_ec2_v2_matches_botocore_sigv2(self):
        params = {"Action": "RegisterImage", "ImageLocation": "my bucket/root.img.manifest.xml",
                  "AWSAccessKeyId": ACCESS, "Version": "2009-04-04", "Timestamp": "2026-11-24T12:00:00Z",
                  "Owner.1": "self", "Weird": "ä/~*'()!+=&"}
        ours = eucatools.ec2_sign(SECRET, "POST", "clc.example:8773", "/services/Eucalyptus", dict(params))
        request = AWSRequest(method="POST", url="http://clc.example:8773/services/Eucalyptus", data=dict(params))
        signed = dict(params, SignatureMethod="HmacSHA256", SignatureVersion="2")
        _, theirs = SigV2Auth(Credentials(ACCESS, SECRET)).calc_signature(request, signed)
        self.assertEqual(theirs, ours["Signature"])
        self.assertEqual("2", ours["SignatureVersion"])
        self.assertEqual("HmacSHA256", ours["SignatureMethod"])


# ---- stand-ins for Walrus and the CLC (see the module's docstring) ---------------------------

class StandIn(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.buckets = {}   # name -> {key: (bytes, headers)}
        self.images = {}    # id -> location
        self.requests = []  # (method, path, query or params)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.server_address[1]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", content_type="application/xml"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def s3_error(self, status, code):
        self.reply(status, ("<?xml version=\"1.0\"?><Error><Code>%s</Code><Message>%s</Message></Error>"
                            % (code, code)).encode())

    def body(self):
        return self.rfile.read(int(self.headers.get("Content-Length", "0")))

    def do_PUT(self):
        self.s3("PUT")

    def do_GET(self):
        self.s3("GET")

    def do_DELETE(self):
        self.s3("DELETE")

    def s3(self, method):
        data = self.body()
        split = urllib.parse.urlsplit(self.path)
        self.server.requests.append((method, split.path, split.query))
        hh = HTTPHeaders()
        for k, v in self.headers.items():
            if k.lower() != "authorization":
                hh[k] = v
        expected = SigningTest.FixedDateV1(Credentials(ACCESS, SECRET), self.headers["Date"]).get_signature(
            method, split, hh)
        if self.headers.get("Authorization") != "AWS %s:%s" % (ACCESS, expected):
            return self.s3_error(403, "SignatureDoesNotMatch")
        prefix = "/services/Walrus/"
        if not split.path.startswith(prefix):
            return self.s3_error(404, "NoSuchBucket")
        bucket, _, key = urllib.parse.unquote(split.path[len(prefix):]).partition("/")
        buckets = self.server.buckets
        if not key:
            if method == "PUT":
                if bucket in buckets:
                    return self.s3_error(409, "BucketAlreadyOwnedByYou")
                buckets[bucket] = {}
                return self.reply(200)
            if method == "DELETE":
                if bucket not in buckets:
                    return self.s3_error(404, "NoSuchBucket")
                if buckets[bucket]:
                    return self.s3_error(409, "BucketNotEmpty")
                del buckets[bucket]
                return self.reply(204)
            return self.s3_error(501, "NotImplemented")
        if bucket not in buckets:
            return self.s3_error(404, "NoSuchBucket")
        if method == "PUT":
            buckets[bucket][key] = (data, dict(self.headers))
            return self.reply(200)
        if key not in buckets[bucket]:
            return self.s3_error(404, "NoSuchKey")
        if method == "GET":
            return self.reply(200, buckets[bucket][key][0], "application/octet-stream")
        del buckets[bucket][key]
        return self.reply(204)

    def do_POST(self):
        """The EC2 Query API: RegisterImage, DescribeImages, DeregisterImage."""
        params = dict(urllib.parse.parse_qsl(self.body().decode(), keep_blank_values=True))
        self.server.requests.append(("POST", self.path, params))
        request = AWSRequest(method="POST", url="http://%s%s" % (self.headers["Host"], self.path), data=params)
        _, expected = SigV2Auth(Credentials(ACCESS, SECRET)).calc_signature(request, params)
        if params.get("Signature") != expected or params.get("SignatureVersion") != "2":
            return self.ec2_error(403, "SignatureDoesNotMatch", "signature mismatch")
        action = params.get("Action")
        ns = "http://ec2.amazonaws.com/doc/%s/" % params.get("Version")
        images = self.server.images
        if action == "RegisterImage":
            image_id = "emi-%08X" % (int(hashlib.sha1(params["ImageLocation"].encode()).hexdigest(), 16) % (1 << 32))
            images[image_id] = params["ImageLocation"]
            return self.reply(200, ('<RegisterImageResponse xmlns="%s"><requestId>1</requestId>'
                                    "<imageId>%s</imageId></RegisterImageResponse>" % (ns, image_id)).encode())
        if action == "DeregisterImage":
            if params.get("ImageId") not in images:
                return self.ec2_error(400, "InvalidAMIID.NotFound", "The AMI ID '%s' does not exist" % params.get("ImageId"))
            del images[params["ImageId"]]
            return self.reply(200, ('<DeregisterImageResponse xmlns="%s"><requestId>2</requestId><return>true</return>'
                                    "</DeregisterImageResponse>" % ns).encode())
        if action == "DescribeImages":
            wanted = [v for k, v in params.items() if k.startswith("ImageId.")]
            for image_id in wanted:
                if image_id not in images:
                    return self.ec2_error(400, "InvalidAMIID.NotFound", "The AMI ID '%s' does not exist" % image_id)
            items = "".join(
                "<item><imageId>%s</imageId><imageLocation>%s</imageLocation><imageState>available</imageState>"
                "<imageOwnerId>%s</imageOwnerId><isPublic>false</isPublic><architecture>x86_64</architecture>"
                "<imageType>machine</imageType><kernelId>eki-0000DCBA</kernelId><ramdiskId>eri-0000ABCD</ramdiskId>"
                "</item>" % (i, loc, USER_ID)
                for i, loc in sorted(images.items()) if not wanted or i in wanted)
            return self.reply(200, ('<DescribeImagesResponse xmlns="%s"><requestId>3</requestId><imagesSet>%s'
                                    "</imagesSet></DescribeImagesResponse>" % (ns, items)).encode())
        return self.ec2_error(400, "InvalidAction", "unknown action")

    def ec2_error(self, status, code, message):
        self.reply(status, ("<?xml version=\"1.0\"?><Response><Errors><Error><Code>%s</Code><Message>%s</Message>"
                            "</Error></Errors><RequestID>x</RequestID></Response>" % (code, message)).encode())


class ClientCommandsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.keys = Keys.make()
        cls.server = StandIn()
        cls.env = {"EC2_ACCESS_KEY": ACCESS, "EC2_SECRET_KEY": SECRET,
                   "S3_URL": cls.server.url + "/services/Walrus", "EC2_URL": cls.server.url + "/services/Eucalyptus",
                   "EC2_CERT": os.path.join(cls.keys, "user-cert.pem"),
                   "EC2_PRIVATE_KEY": os.path.join(cls.keys, "user-pk.pem"),
                   "EUCALYPTUS_CERT": os.path.join(cls.keys, "cloud-cert.pem"), "EC2_USER_ID": USER_ID}
        cls.image = os.path.join(cls.keys, "disk.img")
        make_image(cls.image, 12, 8)
        cls.bundle = os.path.join(cls.keys, "bundle")
        os.mkdir(cls.bundle)
        tool("euca-bundle-image", "-i", cls.image, "-d", cls.bundle, "-p", "disk", env_extra=cls.env)
        cls.manifest = os.path.join(cls.bundle, "disk.manifest.xml")

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        shutil.rmtree(cls.keys, ignore_errors=True)

    def test_1_upload_stores_every_file(self):
        r = tool("euca-upload-bundle", "-b", "images", "-m", self.manifest, env_extra=self.env)
        self.assertIn(b"Uploaded image as images/disk.manifest.xml", r.stdout)
        stored = self.server.buckets["images"]
        self.assertEqual({"disk.part.0", "disk.part.1", "disk.manifest.xml"}, set(stored))
        for name, (data, headers) in stored.items():
            with open(os.path.join(self.bundle, name), "rb") as f:
                self.assertEqual(f.read(), data, name)
            self.assertEqual("aws-exec-read", headers.get("x-amz-acl"))
        # again, into the bucket that is now there
        tool("euca-upload-bundle", "-b", "images", "-m", self.manifest, "--acl", "private", env_extra=self.env)
        self.assertEqual("private", self.server.buckets["images"]["disk.part.0"][1].get("x-amz-acl"))

    def test_2_register_describe_deregister(self):
        r = tool("euca-register", "images/disk.manifest.xml", env_extra=self.env)
        image_id = r.stdout.decode().split()[1]
        self.assertRegex(r.stdout.decode(), r"^IMAGE\temi-[0-9A-F]{8}\n$")
        call = [p for m, _, p in self.server.requests if m == "POST"][-1]
        self.assertEqual(("RegisterImage", "images/disk.manifest.xml"), (call["Action"], call["ImageLocation"]))
        r = tool("euca-describe-images", image_id, env_extra=self.env)
        self.assertEqual("IMAGE\t%s\timages/disk.manifest.xml\t%s\tavailable\tprivate\tx86_64\tmachine\t"
                         "eki-0000DCBA\teri-0000ABCD\n" % (image_id, USER_ID), r.stdout.decode())
        tool("euca-describe-images", env_extra=self.env)
        owners = [p.get("Owner.1") or p.get("ExecutableBy.1") for m, _, p in self.server.requests[-2:]]
        self.assertEqual(["self", "self"], owners)
        r = tool("euca-deregister", image_id, env_extra=self.env)
        self.assertEqual("IMAGE\t%s\n" % image_id, r.stdout.decode())
        r = tool("euca-describe-images", image_id, env_extra=self.env, check=False)
        self.assertEqual(1, r.returncode)
        self.assertIn(b"InvalidAMIID.NotFound: The AMI ID '%s' does not exist" % image_id.encode(), r.stderr)

    def test_3_delete_bundle_by_prefix_and_clear(self):
        r = tool("euca-delete-bundle", "-b", "images", "-p", "disk", "--clear", env_extra=self.env)
        self.assertIn(b"Deleted images/disk.part.1", r.stdout)
        self.assertNotIn("images", self.server.buckets)

    def test_4_wrong_secret_key_is_reported(self):
        r = tool("euca-upload-bundle", "-b", "other", "-m", self.manifest, "-s", "wrong", env_extra=self.env,
                 check=False)
        self.assertEqual(1, r.returncode)
        self.assertIn(b"SignatureDoesNotMatch", r.stderr)
        r = tool("euca-register", "other/disk.manifest.xml", "-s", "wrong", env_extra=self.env, check=False)
        self.assertEqual(1, r.returncode)
        self.assertIn(b"SignatureDoesNotMatch", r.stderr)

    def test_5_missing_configuration_is_reported(self):
        env = dict(self.env, S3_URL="")
        r = tool("euca-upload-bundle", "-b", "x", "-m", self.manifest, env_extra=env, check=False)
        self.assertEqual(1, r.returncode)
        self.assertIn(b"set S3_URL", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
