#!/usr/bin/python3
"""python3-boto (boto 2, signature v2 as euca2ools signed) driving the instance API
(InstancesApiIT, InstancesIT; support/InstancesBoto runs it).

usage: instances_boto.py ENDPOINT_URL ACCESS SECRET COMMAND [ARGS...]
  run IMAGE [key=NAME] [kernel=EKI] [ramdisk=ERI] [group=NAME] [min=N] [max=N] [type=T]
            [userdata=TEXT | userdata-file=PATH] [zone=Z]
                     prints "reservation<TAB>owner", then per instance "id<TAB>state<TAB>launch index"
  describe [ID...]   one line per instance: id state code owner reservation kernel ramdisk type key
                     launch-index launch-time zone private-dns dns private-ip ip groups (TAB separated)
  terminate ID...    "id<TAB>previous<TAB>current" per instance
  reboot ID...       True when the request was accepted
  console ID         the timestamp on the first line, then the decoded output
  create-key NAME    the fingerprint, then the private key
  make-public ID     adds launch permission for everyone
An EC2 error prints "ERROR<TAB>code<TAB>message" and exits 3.
"""
import sys

from boto.exception import BotoServerError

import ec2_boto


def connect(url, access, secret):
    """Signature v2, as euca2ools signed (ec2_boto.connect)."""
    return ec2_boto.connect(url, access, secret, '2')


def main(argv):
    url, access, secret, command = argv[1:5]
    args = argv[5:]
    conn = connect(url, access, secret)
    if command == 'run':
        opts = dict(a.split('=', 1) for a in args[1:])
        user_data = opts.get('userdata')
        if 'userdata-file' in opts:
            with open(opts['userdata-file']) as f:
                user_data = f.read()
        r = conn.run_instances(args[0], min_count=int(opts.get('min', 1)), max_count=int(opts.get('max', 1)),
                               key_name=opts.get('key'), kernel_id=opts.get('kernel'),
                               ramdisk_id=opts.get('ramdisk'),
                               security_groups=[opts['group']] if 'group' in opts else None,
                               user_data=user_data, instance_type=opts.get('type', 'm1.small'),
                               placement=opts.get('zone'))
        print('%s\t%s' % (r.id, r.owner_id))
        for i in r.instances:
            print('%s\t%s\t%s' % (i.id, i.state, i.ami_launch_index))
    elif command == 'describe':
        for r in conn.get_all_reservations(instance_ids=args or None):
            for i in r.instances:
                print('\t'.join(str(x) for x in [
                    i.id, i.state, i.state_code, r.owner_id, r.id, i.kernel, i.ramdisk, i.instance_type,
                    i.key_name, i.ami_launch_index, i.launch_time, i.placement, i.private_dns_name,
                    i.public_dns_name, i.private_ip_address, i.ip_address,
                    ','.join(g.name or g.id for g in r.groups)]))
    elif command == 'terminate':
        for i in conn.terminate_instances(args):
            print('%s\t%s\t%s' % (i.id, i.previous_state, i.state))
    elif command == 'reboot':
        print(conn.reboot_instances(args))
    elif command == 'console':
        c = conn.get_console_output(args[0])
        print(c.timestamp)
        sys.stdout.write((c.output or b'').decode('utf-8', 'replace') if isinstance(c.output, bytes) else (c.output or ''))
    elif command == 'create-key':
        key = conn.create_key_pair(args[0])
        print(key.fingerprint)
        print(key.material)
    elif command == 'make-public':
        print(conn.modify_image_attribute(args[0], attribute='launchPermission', operation='add', groups=['all']))
    else:
        sys.exit('unknown command ' + command)


if __name__ == '__main__':
    try:
        main(sys.argv)
    except BotoServerError as e:
        print('ERROR\t%s\t%s' % (e.error_code, e.error_message))
        sys.exit(3)
