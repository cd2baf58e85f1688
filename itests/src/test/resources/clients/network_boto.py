#!/usr/bin/python3
"""python3-boto (boto 2, signature v2 as euca2ools signed) driving the network API (NetworkIT;
support/NetworkBoto runs it).

usage: network_boto.py ENDPOINT_URL ACCESS SECRET COMMAND [ARGS...]
  allocate                 prints the public address
  release IP               prints True
  associate IP INSTANCE    prints True
  disassociate IP          prints True
  addresses [IP...]        one line per address: "ip<TAB>instance id" (empty when free)
  create-key NAME          the fingerprint, then the private key
  create-group NAME DESC
  delete-group NAME
  authorize GROUP PROTO FROM TO CIDR|owner/group
  revoke GROUP PROTO FROM TO CIDR|owner/group
  run IMAGE [key=NAME] [group=NAME] [userdata-file=PATH] [addressing=private|public] [type=T]
                           prints "reservation<TAB>owner", then per instance "id<TAB>state<TAB>private ip<TAB>public ip"
An EC2 error prints "ERROR<TAB>code<TAB>message" and exits 3.
"""
import sys

from boto.exception import BotoServerError

import ec2_boto


def connect(url, access, secret):
    """Signature v2, as euca2ools signed (ec2_boto.connect)."""
    return ec2_boto.connect(url, access, secret, '2')


def rule(conn, verb, args):
    group, proto, from_port, to_port, source = args
    call = conn.authorize_security_group if verb == 'authorize' else conn.revoke_security_group
    if '/' in source and source[0].isdigit():
        return call(group, ip_protocol=proto, from_port=int(from_port), to_port=int(to_port), cidr_ip=source)
    owner, name = source.split('/')
    return call(group, src_security_group_name=name, src_security_group_owner_id=owner, ip_protocol=proto,
                from_port=int(from_port), to_port=int(to_port))


def main(argv):
    url, access, secret, command = argv[1:5]
    args = argv[5:]
    conn = connect(url, access, secret)
    if command == 'allocate':
        print(conn.allocate_address().public_ip)
    elif command == 'release':
        print(conn.release_address(public_ip=args[0]))
    elif command == 'associate':
        print(conn.associate_address(instance_id=args[1], public_ip=args[0]))
    elif command == 'disassociate':
        print(conn.disassociate_address(public_ip=args[0]))
    elif command == 'addresses':
        for a in conn.get_all_addresses(addresses=args or None):
            print('%s\t%s' % (a.public_ip, a.instance_id or ''))
    elif command == 'create-key':
        key = conn.create_key_pair(args[0])
        print(key.fingerprint)
        print(key.material)
    elif command == 'create-group':
        conn.create_security_group(args[0], args[1])
    elif command == 'delete-group':
        print(conn.delete_security_group(args[0]))
    elif command in ('authorize', 'revoke'):
        print(rule(conn, command, args))
    elif command == 'run':
        opts = dict(a.split('=', 1) for a in args[1:])
        user_data = None
        if 'userdata-file' in opts:
            with open(opts['userdata-file']) as f:
                user_data = f.read()
        r = conn.run_instances(args[0], key_name=opts.get('key'),
                               security_groups=[opts['group']] if 'group' in opts else None,
                               user_data=user_data, instance_type=opts.get('type', 'm1.small'),
                               addressing_type=opts.get('addressing'))
        print('%s\t%s' % (r.id, r.owner_id))
        for i in r.instances:
            print('%s\t%s\t%s\t%s' % (i.id, i.state, i.private_ip_address or '', i.ip_address or ''))
    else:
        sys.exit('unknown command ' + command)


if __name__ == '__main__':
    try:
        main(sys.argv)
    except BotoServerError as e:
        print('ERROR\t%s\t%s' % (e.error_code, e.error_message))
        sys.exit(3)
