#!/usr/bin/python3
"""A real EC2 client for the integration tests: python3-boto (boto 2) against the cloud.

usage: ec2_boto.py ENDPOINT_URL ACCESS SECRET SIGV COMMAND [ARGS...]
  SIGV     2 (HmacSHA256 query signature, as euca2ools did) or 4
  COMMAND  zones [verbose]       prints "name<TAB>state" per availability-zone row
           regions               prints "name<TAB>endpoint"
           raw ACTION [K=V ...]  prints the HTTP status, then the body
           create-key NAME       prints the fingerprint, then the private key
           keys                  prints "name<TAB>fingerprint" per key pair
           create-group NAME DESCRIPTION
           authorize GROUP PROTO FROM TO CIDR|owner/group
           groups                prints "owner<TAB>name<TAB>description" per group, then
                                 "<TAB>proto<TAB>from<TAB>to<TAB>source" per rule
"""
import sys
from urllib.parse import urlparse

from boto.ec2.connection import EC2Connection
from boto.ec2.regioninfo import RegionInfo


class SigV2EC2Connection(EC2Connection):
    """boto 2.49 signs EC2 with v4 only; euca2ools-era clients used v2 ('ec2' handler)."""

    def _required_auth_capability(self):
        return ['ec2']


def connect(url, access, secret, sigv):
    u = urlparse(url)
    cls = SigV2EC2Connection if sigv == '2' else EC2Connection
    return cls(aws_access_key_id=access, aws_secret_access_key=secret,
               is_secure=(u.scheme == 'https'), port=u.port or 80, path=u.path or '/',
               region=RegionInfo(name='eucalyptus', endpoint=u.hostname))


def main(argv):
    url, access, secret, sigv, command = argv[1:6]
    args = argv[6:]
    conn = connect(url, access, secret, sigv)
    if command == 'zones':
        for z in conn.get_all_zones(args or None):
            print('%s\t%s' % (z.name, z.state))
    elif command == 'regions':
        for r in conn.get_all_regions():
            print('%s\t%s' % (r.name, r.endpoint))
    elif command == 'raw':
        params = dict(a.split('=', 1) for a in args[1:])
        resp = conn.make_request(args[0], params)
        print(resp.status)
        print(resp.read().decode('utf-8'))
    elif command == 'create-key':
        key = conn.create_key_pair(args[0])
        print(key.fingerprint)
        print(key.material)
    elif command == 'keys':
        for k in conn.get_all_key_pairs():
            print('%s\t%s' % (k.name, k.fingerprint))
    elif command == 'create-group':
        conn.create_security_group(args[0], args[1])
    elif command == 'authorize':
        group, proto, from_port, to_port, source = args
        if '/' in source and source[0].isdigit():
            conn.authorize_security_group(group, ip_protocol=proto, from_port=int(from_port),
                                          to_port=int(to_port), cidr_ip=source)
        else:
            owner, name = source.split('/')
            conn.authorize_security_group(group, src_security_group_name=name,
                                          src_security_group_owner_id=owner, ip_protocol=proto,
                                          from_port=int(from_port), to_port=int(to_port))
    elif command == 'groups':
        for g in conn.get_all_security_groups():
            print('%s\t%s\t%s' % (g.owner_id, g.name, g.description))
            for rule in g.rules:
                for grant in rule.grants:
                    source = grant.cidr_ip or '%s/%s' % (grant.owner_id, grant.name)
                    print('\t%s\t%s\t%s\t%s' % (rule.ip_protocol, rule.from_port, rule.to_port, source))
    else:
        sys.exit('unknown command ' + command)


if __name__ == '__main__':
    main(sys.argv)
