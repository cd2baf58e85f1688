#!/usr/bin/python3
"""python3-boto (boto 2, signature v2 as euca2ools signed) driving the instance operations.

usage: guests_boto.py ENDPOINT_URL ACCESS SECRET COMMAND [ARGS...]
  create-key NAME              prints the fingerprint, then the private key
  run IMAGE KEY USERDATA_FILE MIN MAX TYPE
                               prints "reservation<TAB>owner", then per instance
                               "id<TAB>state<TAB>launch index"
  describe [ID...]             per instance: id, state, state code, private ip, public ip,
                               private dns, public dns, key, type, kernel, ramdisk,
                               launch time, launch index, reservation, owner (TAB separated)
  console ID                   prints the timestamp, then the console text
  reboot ID...                 prints True when the request was accepted
  terminate ID...              per instance "id<TAB>previous state<TAB>current state"
An EC2 error prints "ERROR<TAB>code<TAB>message" and exits 3.
"""
import sys
from urllib.parse import urlparse

from boto.ec2.connection import EC2Connection
from boto.ec2.regioninfo import RegionInfo
from boto.exception import EC2ResponseError


class SigV2EC2Connection(EC2Connection):
    """boto 2.49 signs EC2 with v4 only; euca2ools-era clients used v2 ('ec2' handler)."""

    def _required_auth_capability(self):
        return ['ec2']


def connect(url, access, secret):
    u = urlparse(url)
    return SigV2EC2Connection(aws_access_key_id=access, aws_secret_access_key=secret,
                              is_secure=(u.scheme == 'https'), port=u.port or 80, path=u.path or '/',
                              region=RegionInfo(name='eucalyptus', endpoint=u.hostname))


def main(argv):
    url, access, secret, command = argv[1:5]
    args = argv[5:]
    conn = connect(url, access, secret)
    try:
        if command == 'create-key':
            key = conn.create_key_pair(args[0])
            print(key.fingerprint)
            print(key.material)
        elif command == 'run':
            image, key, user_data_file, min_count, max_count, vm_type = args
            with open(user_data_file) as f:
                user_data = f.read()
            r = conn.run_instances(image, min_count=int(min_count), max_count=int(max_count),
                                   key_name=key, user_data=user_data, instance_type=vm_type)
            print('%s\t%s' % (r.id, r.owner_id))
            for i in r.instances:
                print('%s\t%s\t%s' % (i.id, i.state, i.ami_launch_index))
        elif command == 'describe':
            for r in conn.get_all_reservations(instance_ids=args or None):
                for i in r.instances:
                    print('\t'.join(str(x) for x in (
                        i.id, i.state, i.state_code, i.private_ip_address, i.ip_address,
                        i.private_dns_name, i.public_dns_name, i.key_name, i.instance_type,
                        i.kernel, i.ramdisk, i.launch_time, i.ami_launch_index, r.id, r.owner_id)))
        elif command == 'console':
            out = conn.get_console_output(args[0])
            print(out.timestamp)
            sys.stdout.write(out.output.decode('utf-8', 'replace') if isinstance(out.output, bytes)
                             else (out.output or ''))
        elif command == 'reboot':
            print(conn.reboot_instances(args))
        elif command == 'terminate':
            for i in conn.terminate_instances(args):
                print('%s\t%s\t%s' % (i.id, i.previous_state, i.state))
        else:
            sys.exit('unknown command ' + command)
    except EC2ResponseError as e:
        print('ERROR\t%s\t%s' % (e.error_code, e.error_message))
        sys.exit(3)


if __name__ == '__main__':
    main(sys.argv)
