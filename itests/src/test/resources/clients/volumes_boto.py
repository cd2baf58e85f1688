#!/usr/bin/python3
"""python3-boto (boto 2, signature v2 as euca2ools signed) driving the volume API (VolumesIT,
bench/volumes; support/VolumesBoto runs it).

usage: volumes_boto.py ENDPOINT_URL ACCESS SECRET COMMAND [ARGS...]
  create SIZE ZONE          prints "id<TAB>status<TAB>size<TAB>zone"
  delete ID                 prints True
  describe [ID...]          one line per volume: id size zone status create-time instance device
                            attach-status (TAB separated; the last three empty when not attached)
  attach ID INSTANCE DEVICE prints the attachment's status
  detach ID [INSTANCE] [force]
                            prints the attachment's status
An EC2 error prints "ERROR<TAB>code<TAB>message" and exits 3.
"""
import sys

from boto.exception import BotoServerError

import ec2_boto


def connect(url, access, secret):
    """Signature v2, as euca2ools signed (ec2_boto.connect)."""
    return ec2_boto.connect(url, access, secret, '2')


def text(v):
    return '' if v is None else str(v)


def main(argv):
    url, access, secret, command = argv[1:5]
    args = argv[5:]
    conn = connect(url, access, secret)
    if command == 'create':
        # the size goes as typed (0, -1 ...): the cloud, not the client, must refuse it
        v = conn.create_volume(args[0], args[1])
        print('%s\t%s\t%s\t%s' % (v.id, v.status, v.size, v.zone))
    elif command == 'delete':
        print(conn.delete_volume(args[0]))
    elif command == 'describe':
        for v in conn.get_all_volumes(volume_ids=args or None):
            a = v.attach_data
            print('\t'.join(text(x) for x in [
                v.id, v.size, v.zone, v.status, v.create_time,
                a.instance_id if a else None, a.device if a else None, a.status if a else None]))
    elif command == 'attach':
        print(conn.attach_volume(args[0], args[1], args[2]))
    elif command == 'detach':
        force = 'force' in args[1:]
        instance = next((a for a in args[1:] if a != 'force'), None)
        print(conn.detach_volume(args[0], instance_id=instance, force=force))
    else:
        sys.exit('unknown command ' + command)


if __name__ == '__main__':
    try:
        main(sys.argv)
    except BotoServerError as e:
        print('ERROR\t%s\t%s' % (e.error_code, e.error_message))
        sys.exit(3)
