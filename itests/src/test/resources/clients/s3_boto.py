#!/usr/bin/python3
"""A real S3 client for the Walrus tests: python3-boto (boto 2), signature v2, path-style
(OrdinaryCallingFormat) at http://HOST:PORT/services/Walrus, as euca2ools talked to Walrus.

usage: s3_boto.py HOST PORT ACCESS SECRET COMMAND [ARGS...]
  mb BUCKET | rb BUCKET | buckets
  put BUCKET KEY FILE | get BUCKET KEY FILE | del BUCKET KEY | etag BUCKET KEY
  ls BUCKET PREFIX DELIMITER         one listing; prints "KEY\\t<k>" and "PREFIX\\t<p>"
  first BUCKET N                     one page of max-keys N; prints the keys, then "TRUNCATED\\t<bool>"
  paged BUCKET PAGE                  every key, PAGE keys a request (marker); prints keys, then "PAGES\\t<n>"
  cp SRCBUCKET SRCKEY DSTBUCKET DSTKEY
  mpu BUCKET KEY FILE PART_MB        multipart upload: initiate, parts, list parts, complete
  canned BUCKET KEY ACL              e.g. public-read
  grant-email BUCKET KEY EMAIL       adds a READ grant for the user with that e-mail
  url BUCKET KEY SECONDS             a presigned (query string, v2) GET URL
  delall BUCKET                      deletes every key with one multi-object delete (delete_keys, Content-MD5)
  mbloc BUCKET LOCATION              makes a bucket with a location constraint, prints "LOCATION\t<get_location()>"
Errors print "S3ERROR\\t<status>\\t<code>" and exit 3.
"""
import sys

import boto
from boto.exception import S3ResponseError
from boto.s3.connection import OrdinaryCallingFormat, S3Connection


def connect(host, port, access, secret):
    return S3Connection(aws_access_key_id=access, aws_secret_access_key=secret, is_secure=False,
                        host=host, port=int(port), path='/services/Walrus',
                        calling_format=OrdinaryCallingFormat())


def main(argv):
    host, port, access, secret, command = argv[1:6]
    a = argv[6:]
    conn = connect(host, port, access, secret)
    if command == 'mb':
        conn.create_bucket(a[0])
    elif command == 'rb':
        conn.delete_bucket(a[0])
    elif command == 'buckets':
        for b in conn.get_all_buckets():
            print(b.name)
    elif command == 'put':
        key = conn.get_bucket(a[0], validate=False).new_key(a[1])
        key.set_contents_from_filename(a[2])
        print(key.etag)
    elif command == 'get':
        key = conn.get_bucket(a[0], validate=False).get_key(a[1])
        if key is None:
            print('S3ERROR\t404\tNoSuchKey')
            sys.exit(3)
        key.get_contents_to_filename(a[2])
    elif command == 'del':
        conn.get_bucket(a[0], validate=False).delete_key(a[1])
    elif command == 'etag':
        print(conn.get_bucket(a[0], validate=False).get_key(a[1]).etag.strip('"'))
    elif command == 'ls':
        bucket = conn.get_bucket(a[0], validate=False)
        for item in bucket.get_all_keys(prefix=a[1], delimiter=a[2]):
            if item.__class__.__name__ == 'Prefix':
                print('PREFIX\t' + item.name)
            else:
                print('KEY\t' + item.name)
    elif command == 'first':
        rs = conn.get_bucket(a[0], validate=False).get_all_keys(max_keys=int(a[1]))
        for k in rs:
            print('KEY\t' + k.name)
        print('TRUNCATED\t%s' % rs.is_truncated)
    elif command == 'paged':
        bucket = conn.get_bucket(a[0], validate=False)
        marker, pages = '', 0
        while True:
            rs = bucket.get_all_keys(max_keys=int(a[1]), marker=marker)
            pages += 1
            for k in rs:
                print('KEY\t' + k.name)
                marker = k.name
            if not rs.is_truncated:
                break
        print('PAGES\t%d' % pages)
    elif command == 'cp':
        conn.get_bucket(a[2], validate=False).copy_key(a[3], a[0], a[1])
    elif command == 'mpu':
        bucket = conn.get_bucket(a[0], validate=False)
        part_size = int(a[3]) * 1024 * 1024
        upload = bucket.initiate_multipart_upload(a[1])
        import os
        size = os.path.getsize(a[2])
        with open(a[2], 'rb') as f:
            n = 0
            while n * part_size < size:
                f.seek(n * part_size)
                upload.upload_part_from_file(f, n + 1, size=min(part_size, size - n * part_size))
                n += 1
        listed = [p.part_number for p in upload.get_all_parts()]
        print('PARTS\t%s' % ','.join(str(p) for p in listed))
        done = upload.complete_upload()
        print('ETAG\t' + done.etag.strip('"'))
    elif command == 'canned':
        conn.get_bucket(a[0], validate=False).set_acl(a[2], a[1])
    elif command == 'grant-email':
        key = conn.get_bucket(a[0], validate=False).get_key(a[1])
        key.add_email_grant('READ', a[2])
    elif command == 'delall':
        bucket = conn.get_bucket(a[0], validate=False)
        names = [k.name for k in bucket.list()]
        result = bucket.delete_keys(names)
        if result.errors or len(result.deleted) != len(names):
            sys.exit('delete_keys: %d deleted of %d, errors %s' % (len(result.deleted), len(names),
                                                                    [(e.key, e.code) for e in result.errors]))
    elif command == 'mbloc':
        bucket = conn.create_bucket(a[0], location=a[1])
        print('LOCATION\t' + bucket.get_location())
    elif command == 'url':
        print(conn.generate_url(int(a[2]), 'GET', bucket=a[0], key=a[1]))
    else:
        sys.exit('unknown command ' + command)


if __name__ == '__main__':
    try:
        main(sys.argv)
    except S3ResponseError as e:
        print('S3ERROR\t%s\t%s' % (e.status, e.error_code))
        sys.stderr.write(str(e) + '\n')
        sys.exit(3)
