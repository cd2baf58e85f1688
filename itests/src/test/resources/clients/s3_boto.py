#!/usr/bin/python3
"""A real S3 client for the integration tests: python3-boto (boto 2) against Walrus, the way
euca2ools reached it (path-style, signature v2 over the whole path /services/Walrus/...).

usage: s3_boto.py WALRUS_URL ACCESS SECRET COMMAND [ARGS...]
  COMMAND  buckets          prints one bucket name per line
           create BUCKET    creates a bucket
On an S3 error prints "ERROR <status> <Code>" and exits 1.
"""
import sys
from urllib.parse import urlparse

from boto.exception import S3ResponseError
from boto.s3.connection import OrdinaryCallingFormat, S3Connection


def connect(url, access, secret):
    u = urlparse(url)
    return S3Connection(aws_access_key_id=access, aws_secret_access_key=secret,
                        is_secure=(u.scheme == 'https'), host=u.hostname, port=u.port or 80,
                        path=u.path or '/', calling_format=OrdinaryCallingFormat())


def main(argv):
    url, access, secret, command = argv[1:5]
    args = argv[5:]
    conn = connect(url, access, secret)
    try:
        if command == 'buckets':
            for b in conn.get_all_buckets():
                print(b.name)
        elif command == 'create':
            conn.create_bucket(args[0])
            print('created ' + args[0])
        else:
            sys.exit('unknown command ' + command)
    except S3ResponseError as e:
        print('ERROR %s %s' % (e.status, e.error_code))
        sys.exit(1)


if __name__ == '__main__':
    main(sys.argv)
