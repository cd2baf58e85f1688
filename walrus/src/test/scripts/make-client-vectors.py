#!/usr/bin/python3
"""Signs S3 requests with real clients and writes them as test vectors for Walrus's authenticator.

Run with Debian's python3 (python3-botocore, python3-boto3, python3-boto):
    /usr/bin/python3 walrus/src/test/scripts/make-client-vectors.py \
        > walrus/src/test/resources/com/eucalyptus/walrus/auth/client-vectors.json

- botocore/boto3 (signature v4 with S3SigV4Auth / S3SigV4QueryAuth, v2 with HmacV1Auth /
  HmacV1QueryAuth): requests are captured at botocore's 'before-send' event, exactly as they
  would go on the wire (urllib3 only adds Host, the URL's host:port).
- boto 2 (signature v2, path='/services/Walrus', OrdinaryCallingFormat): requests really sent
  to a capture server on 127.0.0.1 that records them raw.
- aws-chunked bodies with chunk signatures: no Python client writes them, so they are built here
  from the documented algorithm (seed signature by botocore's S3SigV4Auth), with CRC32C and
  CRC64NVME computed bit by bit here, independently of Walrus's table-driven Java.

The clock is frozen (NOW), so the vectors are the same at every run and the Java test sets its
clock to NOW.
"""
import base64
import datetime
import hashlib
import hmac
import http.server
import io
import json
import sys
import threading
import time
import zlib
from urllib.parse import urlsplit

NOW = 1795521600  # 2026-11-24T12:00:00Z
ACCESS_KEY = 'WKYALICEACCESSKEY123'
SECRET_KEY = 'aliceSecretKey/0123456789abcdefghijklmnop'

time.time = lambda: float(NOW)


class _FrozenDatetime(datetime.datetime):
    @classmethod
    def utcnow(cls):
        return datetime.datetime(2026, 11, 24, 12, 0, 0)


import types  # noqa: E402
import botocore.auth  # noqa: E402
import botocore.crt.auth  # noqa: E402
_FROZEN = types.SimpleNamespace(datetime=_FrozenDatetime, timezone=datetime.timezone, timedelta=datetime.timedelta)
botocore.auth.datetime = _FROZEN
botocore.crt.auth.datetime = _FROZEN  # Debian's botocore signs with awscrt (aws-c-auth) when it is there
import botocore.signers  # noqa: E402
botocore.signers.datetime = _FROZEN  # the expiration of presigned POST policies
CRT_SIGNERS = dict(botocore.auth.AUTH_TYPE_MAPS)
PYTHON_SIGNERS = dict(CRT_SIGNERS, **{'s3v4': botocore.auth.S3SigV4Auth, 's3v4-query': botocore.auth.S3SigV4QueryAuth,
                                      's3': botocore.auth.HmacV1Auth, 's3-query': botocore.auth.HmacV1QueryAuth})


def use_signers(signers):
    botocore.auth.AUTH_TYPE_MAPS.clear()
    botocore.auth.AUTH_TYPE_MAPS.update(signers)
import boto3  # noqa: E402
import botocore.awsrequest  # noqa: E402
from botocore.config import Config  # noqa: E402

cases = []


def b64(data):
    return base64.b64encode(data).decode('ascii')


def add_case(name, client, method, url, headers, body, target, expect_payload=None, body_tamper=None,
             presigned=False, expires=None, tamper_offset=None):
    split = urlsplit(url)
    raw = split.path + ('?' + split.query if split.query else '')
    hdrs = [] if any(k.lower() == 'host' for k, _ in headers) else [['Host', split.netloc]]
    hdrs += [[k, v if isinstance(v, str) else v.decode('ascii')] for k, v in headers]
    if body is None:
        body = b''
    if expect_payload is None:
        expect_payload = body
    if tamper_offset is None and body:
        tamper_offset = len(body) // 2
    cases.append({'name': name, 'client': client, 'method': method, 'path': raw, 'headers': hdrs, 'body': b64(body),
                  'target': target, 'expectPayload': b64(expect_payload), 'bodyTamper': body_tamper,
                  'tamperOffset': tamper_offset, 'presigned': presigned, 'expires': expires})


# ---------------------------------------------------------------- botocore / boto3

class _Captured(Exception):
    pass


def botocore_client(signature_version, endpoint, region='eucalyptus', style='path', payload_signing=None):
    s3cfg = {'addressing_style': style}
    if payload_signing is not None:
        s3cfg['payload_signing_enabled'] = payload_signing
    client = boto3.session.Session().client(
        's3', endpoint_url=endpoint, region_name=region, aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(signature_version=signature_version, s3=s3cfg, retries={'max_attempts': 0}))
    return client


def capture(client, operation, **params):
    seen = {}

    def before_send(request, **kwargs):
        body = request.body
        if hasattr(body, 'read'):
            body = body.read()
        if isinstance(body, str):
            body = body.encode('utf-8')
        seen['method'] = request.method
        seen['url'] = request.url
        seen['headers'] = list(request.headers.items())
        seen['body'] = body or b''
        raise _Captured()

    client.meta.events.register('before-send', before_send)
    try:
        getattr(client, operation)(**params)
    except _Captured:
        pass
    client.meta.events.unregister('before-send', before_send)
    return seen


def target(bucket, key=None, virtual=False, prefix='/services/Walrus'):
    return {'bucket': bucket, 'key': key, 'virtualHosted': virtual, 'servicePrefix': prefix}


WALRUS = 'http://127.0.0.1:8773/services/Walrus'
KEY = 'dir/ünï cödé+%~!.txt'
BODY = b'hello walrus ' * 100

v4 = botocore_client('s3v4', WALRUS)
v4_us = botocore_client('s3v4', WALRUS, region='us-east-1')
r = capture(v4, 'put_object', Bucket='bucket', Key='plain.txt', Body=BODY, ContentType='text/plain',
            Metadata={'color': 'blue'})
add_case('botocore v4 PUT, signed SHA-256', 'botocore', r['method'], r['url'], r['headers'], r['body'],
         target('bucket', 'plain.txt'), body_tamper='XAmzContentSHA256Mismatch')
r = capture(v4_us, 'put_object', Bucket='bucket', Key=KEY, Body=BODY)
add_case('botocore v4 PUT, unusual key, region us-east-1', 'botocore', r['method'], r['url'], r['headers'], r['body'],
         target('bucket', KEY), body_tamper='XAmzContentSHA256Mismatch')
r = capture(v4, 'get_object', Bucket='bucket', Key=KEY, Range='bytes=0-9')
add_case('botocore v4 GET with Range', 'botocore', r['method'], r['url'], r['headers'], r['body'], target('bucket', KEY))
r = capture(v4, 'list_objects_v2', Bucket='bucket', Prefix='dir/ü n', Delimiter='/', MaxKeys=7)
add_case('botocore v4 ListObjectsV2', 'botocore', r['method'], r['url'], r['headers'], r['body'], target('bucket'))
r = capture(v4, 'get_bucket_acl', Bucket='bucket')
add_case('botocore v4 GET ?acl', 'botocore', r['method'], r['url'], r['headers'], r['body'], target('bucket'))
r = capture(v4, 'list_buckets')
add_case('botocore v4 ListAllMyBuckets', 'botocore', r['method'], r['url'], r['headers'], r['body'], target(None))
r = capture(v4, 'delete_objects', Bucket='bucket', Delete={'Objects': [{'Key': 'a'}, {'Key': KEY}]})
add_case('botocore v4 DeleteObjects', 'botocore', r['method'], r['url'], r['headers'], r['body'], target('bucket'),
         body_tamper='XAmzContentSHA256Mismatch')
r = capture(v4, 'put_object', Bucket='bucket', Key='sum.txt', Body=BODY, ChecksumAlgorithm='SHA256')
add_case('botocore v4 PUT, x-amz-checksum-sha256 header', 'botocore', r['method'], r['url'], r['headers'], r['body'],
         target('bucket', 'sum.txt'), body_tamper='XAmzContentSHA256Mismatch')
unsigned = botocore_client('s3v4', WALRUS, payload_signing=False)
r = capture(unsigned, 'put_object', Bucket='bucket', Key='u.txt', Body=BODY)
add_case('botocore v4 PUT, UNSIGNED-PAYLOAD', 'botocore', r['method'], r['url'], r['headers'], r['body'],
         target('bucket', 'u.txt'), body_tamper=None)
r = capture(unsigned, 'put_object', Bucket='bucket', Key='c.txt', Body=BODY, ChecksumAlgorithm='CRC32')
add_case('botocore v4 PUT, UNSIGNED-PAYLOAD with x-amz-checksum-crc32 header', 'botocore', r['method'], r['url'],
         r['headers'], r['body'], target('bucket', 'c.txt'), body_tamper='BadDigest')
https = botocore_client('s3v4', 'https://127.0.0.1:8773/services/Walrus')
for algorithm in ['CRC32', 'CRC32C', 'SHA1', 'SHA256']:
    r = capture(https, 'put_object', Bucket='bucket', Key='t.txt', Body=BODY, ChecksumAlgorithm=algorithm)
    add_case('botocore v4 PUT, STREAMING-UNSIGNED-PAYLOAD-TRAILER ' + algorithm, 'botocore', r['method'], r['url'],
             r['headers'], r['body'], target('bucket', 't.txt'), expect_payload=BODY, body_tamper='BadDigest',
             tamper_offset=r['body'].index(BODY[:20]) + 5)
vhost = botocore_client('s3v4', 'http://s3.cloud.test:8773', style='virtual')
r = capture(vhost, 'put_object', Bucket='bucket', Key=KEY, Body=BODY)
add_case('botocore v4 PUT, virtual-hosted', 'botocore', r['method'], r['url'], r['headers'], r['body'],
         target('bucket', KEY, virtual=True, prefix=''), body_tamper='XAmzContentSHA256Mismatch')
url = v4.generate_presigned_url('get_object', Params={'Bucket': 'bucket', 'Key': KEY}, ExpiresIn=3600)
add_case('botocore presigned v4 GET', 'botocore', 'GET', url, [], b'', target('bucket', KEY), presigned=True,
         expires=3600)
url = v4.generate_presigned_url('put_object', Params={'Bucket': 'bucket', 'Key': 'up.txt'}, ExpiresIn=600)
add_case('botocore presigned v4 PUT', 'botocore', 'PUT', url, [], BODY, target('bucket', 'up.txt'), presigned=True,
         expires=600)

# the same requests signed by botocore's pure-Python signers (S3SigV4Auth, S3SigV4QueryAuth) as well
use_signers(PYTHON_SIGNERS)
py = botocore_client('s3v4', WALRUS)
r = capture(py, 'put_object', Bucket='bucket', Key=KEY, Body=BODY, Metadata={'color': 'red'})
add_case('botocore S3SigV4Auth PUT, unusual key', 'botocore-python', r['method'], r['url'], r['headers'], r['body'],
         target('bucket', KEY), body_tamper='XAmzContentSHA256Mismatch')
r = capture(py, 'list_objects_v2', Bucket='bucket', Prefix='dir/ü n', Delimiter='/')
add_case('botocore S3SigV4Auth ListObjectsV2', 'botocore-python', r['method'], r['url'], r['headers'], r['body'],
         target('bucket'))
url = py.generate_presigned_url('get_object', Params={'Bucket': 'bucket', 'Key': KEY}, ExpiresIn=3600)
add_case('botocore S3SigV4QueryAuth presigned GET', 'botocore-python', 'GET', url, [], b'', target('bucket', KEY),
         presigned=True, expires=3600)
py_https = botocore_client('s3v4', 'https://127.0.0.1:8773/services/Walrus')
r = capture(py_https, 'put_object', Bucket='bucket', Key='t.txt', Body=BODY, ChecksumAlgorithm='CRC32')
add_case('botocore S3SigV4Auth PUT, STREAMING-UNSIGNED-PAYLOAD-TRAILER CRC32', 'botocore-python', r['method'], r['url'],
         r['headers'], r['body'], target('bucket', 't.txt'), expect_payload=BODY, body_tamper='BadDigest',
         tamper_offset=r['body'].index(BODY[:20]) + 5)

# signature v2: HmacV1Auth and HmacV1QueryAuth are botocore's only v2 signers
v2 = botocore_client('s3', WALRUS)
r = capture(v2, 'put_object', Bucket='bucket', Key=KEY, Body=BODY, ContentType='text/plain', Metadata={'a': 'b'})
add_case('botocore v2 PUT, unusual key', 'botocore', r['method'], r['url'], r['headers'], r['body'], target('bucket', KEY))
r = capture(v2, 'get_object', Bucket='bucket', Key='plain.txt', ResponseContentType='text/x a')
add_case('botocore v2 GET with response-content-type', 'botocore', r['method'], r['url'], r['headers'], r['body'],
         target('bucket', 'plain.txt'))
r = capture(v2, 'list_objects', Bucket='bucket', Prefix='dir/', Delimiter='/')
add_case('botocore v2 ListObjects', 'botocore', r['method'], r['url'], r['headers'], r['body'], target('bucket'))
r = capture(v2, 'get_object_acl', Bucket='bucket', Key='plain.txt')
add_case('botocore v2 GET object ?acl', 'botocore', r['method'], r['url'], r['headers'], r['body'],
         target('bucket', 'plain.txt'))
r = capture(v2, 'list_multipart_uploads', Bucket='bucket')
add_case('botocore v2 ?uploads', 'botocore', r['method'], r['url'], r['headers'], r['body'], target('bucket'))
v2host = botocore_client('s3', 'http://s3.cloud.test:8773', style='virtual')
r = capture(v2host, 'put_object', Bucket='bucket', Key='v.txt', Body=BODY)
add_case('botocore v2 PUT, virtual-hosted', 'botocore', r['method'], r['url'], r['headers'], r['body'],
         target('bucket', 'v.txt', virtual=True, prefix=''))
url = v2.generate_presigned_url('get_object', Params={'Bucket': 'bucket', 'Key': KEY}, ExpiresIn=3600)
add_case('botocore presigned v2 GET', 'botocore', 'GET', url, [], b'', target('bucket', KEY), presigned=True,
         expires=3600)


# ---------------------------------------------------------------- boto 2, over a real socket

class _Recorder(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    seen = []

    def _handle(self):
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length else b''
        _Recorder.seen.append({'method': self.command, 'path': self.path, 'headers': list(self.headers.items()),
                               'body': body})
        if self.command == 'GET' and '?' not in self.path and self.path.count('/') > 3:
            payload = b'stored bytes'
        elif self.command == 'GET':
            payload = (b'<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/'
                       b'doc/2006-03-01/"><Name>bucket</Name><IsTruncated>false</IsTruncated></ListBucketResult>')
        else:
            payload = b''
        self.send_response(204 if self.command == 'DELETE' else 200)
        self.send_header('ETag', '"%s"' % hashlib.md5(body).hexdigest())
        self.send_header('Content-Length', str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), _Recorder)
threading.Thread(target=server.serve_forever, daemon=True).start()
import boto  # noqa: E402
from boto.s3.connection import OrdinaryCallingFormat, S3Connection  # noqa: E402

conn = S3Connection(ACCESS_KEY, SECRET_KEY, host='127.0.0.1', port=server.server_port, path='/services/Walrus',
                    is_secure=False, calling_format=OrdinaryCallingFormat())
bucket = conn.get_bucket('bucket', validate=False)


def boto2_case(name, tgt, action, body_tamper=None):
    _Recorder.seen.clear()
    action()
    r = _Recorder.seen[-1]
    headers = [[k, v] for k, v in r['headers'] if k.lower() != 'host']
    url = 'http://127.0.0.1:8773' + r['path']
    add_case(name, 'boto2', r['method'], url, headers, r['body'], tgt, body_tamper=body_tamper)


boto2_case('boto 2 PUT bucket', target('bucket'), lambda: conn.create_bucket('bucket'))
k = bucket.new_key(KEY)
k.set_metadata('color', 'blue')
boto2_case('boto 2 PUT object with metadata, unusual key', target('bucket', KEY),
           lambda: k.set_contents_from_string(BODY, headers={'Content-Type': 'text/plain'}))
boto2_case('boto 2 GET object', target('bucket', 'plain.txt'),
           lambda: bucket.new_key('plain.txt').get_contents_as_string())
boto2_case('boto 2 list with prefix and delimiter', target('bucket'),
           lambda: list(bucket.list(prefix='dir/ü', delimiter='/')))
boto2_case('boto 2 DELETE object', target('bucket', 'plain.txt'), lambda: bucket.delete_key('plain.txt'))
url = conn.generate_url(3600, 'GET', 'bucket', KEY, response_headers={'response-content-disposition': 'attachment; x=1'})
add_case('boto 2 presigned GET with response-content-disposition', 'boto2', 'GET',
         url.replace('127.0.0.1:%d' % server.server_port, '127.0.0.1:8773'), [], b'', target('bucket', KEY),
         presigned=True, expires=3600)
server.shutdown()


# ---------------------------------------------------------------- aws-chunked bodies with chunk signatures

def crc32c(data):
    crc = 0xffffffff
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82f63b78 if crc & 1 else crc >> 1
    return (crc ^ 0xffffffff).to_bytes(4, 'big')


def crc64nvme(data):
    crc = 0xffffffffffffffff
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x9a6c9329ac4bc9b5 if crc & 1 else crc >> 1
    return (crc ^ 0xffffffffffffffff).to_bytes(8, 'big')


assert crc64nvme(b'123456789').hex() == 'ae8b14860a799888'
assert crc32c(b'123456789').hex() == 'e3069283'

CHECKSUMS = {
    'crc32': lambda d: zlib.crc32(d).to_bytes(4, 'big'),
    'crc32c': crc32c,
    'crc64nvme': crc64nvme,
    'sha1': lambda d: hashlib.sha1(d).digest(),
    'sha256': lambda d: hashlib.sha256(d).digest(),
}


class _StreamingSigV4(botocore.auth.S3SigV4Auth):
    def __init__(self, credentials, service, region, content_sha):
        super().__init__(credentials, service, region)
        self._content_sha = content_sha

    def payload(self, request):
        return self._content_sha


def hmac_sha256(key, msg):
    return hmac.new(key, msg.encode('utf-8'), hashlib.sha256).digest()


def chunked_case(name, mode, algorithm, chunk_size, data, lie_about_checksum=False):
    """mode: signed, signed-trailer or unsigned-trailer."""
    content_sha = {'signed': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
                   'signed-trailer': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
                   'unsigned-trailer': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER'}[mode]
    url = WALRUS + '/bucket/chunked.bin'
    headers = {'Content-Encoding': 'aws-chunked', 'X-Amz-Decoded-Content-Length': str(len(data)),
               'X-Amz-Content-SHA256': content_sha}
    if algorithm:
        headers['X-Amz-Trailer'] = 'x-amz-checksum-' + algorithm
    request = botocore.awsrequest.AWSRequest(method='PUT', url=url, headers=headers, data=b'')
    credentials = botocore.credentials.Credentials(ACCESS_KEY, SECRET_KEY)
    _StreamingSigV4(credentials, 's3', 'eucalyptus', content_sha).add_auth(request)
    auth = request.headers['Authorization']
    seed = auth.split('Signature=')[1]
    amz_date = request.headers['X-Amz-Date']
    scope = amz_date[:8] + '/eucalyptus/s3/aws4_request'
    key = hmac_sha256(hmac_sha256(hmac_sha256(hmac_sha256(('AWS4' + SECRET_KEY).encode(), amz_date[:8]),
                                              'eucalyptus'), 's3'), 'aws4_request')
    empty = hashlib.sha256(b'').hexdigest()
    previous = seed
    wire = io.BytesIO()
    chunks = [data[i:i + chunk_size] for i in range(0, len(data), chunk_size)] + [b'']
    first_data_offset = None
    for chunk in chunks:
        if mode.startswith('signed'):
            previous = hmac.new(key, '\n'.join(['AWS4-HMAC-SHA256-PAYLOAD', amz_date, scope, previous, empty,
                                                hashlib.sha256(chunk).hexdigest()]).encode(), hashlib.sha256).hexdigest()
            wire.write(('%x;chunk-signature=%s\r\n' % (len(chunk), previous)).encode())
        else:
            wire.write(('%x\r\n' % len(chunk)).encode())
        if first_data_offset is None:
            first_data_offset = wire.tell()
        wire.write(chunk)
        if chunk:
            wire.write(b'\r\n')
    if algorithm:
        checked = data + b'!' if lie_about_checksum else data
        trailer = 'x-amz-checksum-%s:%s\n' % (algorithm, b64(CHECKSUMS[algorithm](checked)))
        wire.write(trailer.replace('\n', '\r\n').encode())
        if mode == 'signed-trailer':
            signature = hmac.new(key, '\n'.join(['AWS4-HMAC-SHA256-TRAILER', amz_date, scope, previous,
                                                 hashlib.sha256(trailer.encode()).hexdigest()]).encode(),
                                 hashlib.sha256).hexdigest()
            wire.write(('x-amz-trailer-signature:%s\r\n' % signature).encode())
    wire.write(b'\r\n')
    body = wire.getvalue()
    sent = [[k, v] for k, v in request.headers.items()] + [['Content-Length', str(len(body))]]
    tamper = 'SignatureDoesNotMatch' if mode.startswith('signed') else 'BadDigest'
    add_case(name, 'chunk-signer', 'PUT', url, sent, body, target('bucket', 'chunked.bin'), expect_payload=data,
             body_tamper=tamper, tamper_offset=first_data_offset + 3)
    cases[-1]['checksumLie'] = lie_about_checksum


DATA = bytes((i * 7 + i // 251) % 256 for i in range(17000))
chunked_case('signed chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)', 'signed', None, 8192, DATA)
chunked_case('signed chunks, one chunk', 'signed', None, 65536, DATA[:100])
chunked_case('signed chunks, empty object', 'signed', None, 8192, b'')
for algorithm in CHECKSUMS:
    chunked_case('signed chunks and trailer ' + algorithm, 'signed-trailer', algorithm, 8192, DATA)
    chunked_case('unsigned chunks and trailer ' + algorithm, 'unsigned-trailer', algorithm, 8192, DATA)
chunked_case('signed chunks and trailer, checksum of other data', 'signed-trailer', 'crc32c', 8192, DATA,
             lie_about_checksum=True)
chunked_case('unsigned chunks and trailer, checksum of other data', 'unsigned-trailer', 'crc64nvme', 8192, DATA,
             lie_about_checksum=True)

# ---------------------------------------------------------------- browser POST forms (generate_presigned_post)

posts = []
for signature_version in ['s3v4', 's3']:  # S3SigV4PostAuth and HmacV1PostAuth
    client = botocore_client(signature_version, WALRUS)
    post = client.generate_presigned_post(
        'bucket', 'uploads/${filename}', Fields={'acl': 'public-read', 'Content-Type': 'image/png'},
        Conditions=[{'acl': 'public-read'}, ['starts-with', '$Content-Type', 'image/'],
                    ['content-length-range', 1, 1048576]], ExpiresIn=1800)
    posts.append({'name': 'botocore %s POST policy' % signature_version,
                  'fields': {k.lower(): v for k, v in post['fields'].items()}, 'expires': 1800})

json.dump({'now': NOW, 'accessKey': ACCESS_KEY, 'secretKey': SECRET_KEY, 'cases': cases, 'posts': posts}, sys.stdout,
          indent=1, ensure_ascii=True)
sys.stdout.write('\n')
