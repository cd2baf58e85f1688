#!/usr/bin/python3
"""The image API through python3-boto (boto 2, signature v2 as euca2ools):

usage: images_boto.py EC2_URL ACCESS SECRET COMMAND [ARGS...]
  register LOCATION                 prints the image id
  describe [--owner O] [--exec U] [ID...]   one line per image:
      id location state owner public arch type kernel ramdisk productcodes
  attr ID ATTRIBUTE                 launchPermission: "groups=... users=..."; kernel/ramdisk: the value
  launch ID add|remove [USER|all...]
  reset ID ATTRIBUTE
  deregister ID
  raw ACTION [K=V...]               prints the HTTP status, then the body
EC2 errors are printed as "ERROR Code: Message" with exit status 1.
"""
import sys
from urllib.parse import urlparse

from boto.ec2.connection import EC2Connection
from boto.ec2.regioninfo import RegionInfo
from boto.exception import EC2ResponseError


class SigV2EC2Connection(EC2Connection):
    def _required_auth_capability(self):
        return ['ec2']


def main(argv):
    url, access, secret, command = argv[1:5]
    args = argv[5:]
    u = urlparse(url)
    c = SigV2EC2Connection(aws_access_key_id=access, aws_secret_access_key=secret, is_secure=False,
                           port=u.port or 80, path=u.path or '/',
                           region=RegionInfo(name='eucalyptus', endpoint=u.hostname))
    if command == 'register':
        print(c.register_image(image_location=args[0]))
    elif command == 'describe':
        owners, execs, ids = [], [], []
        it = iter(args)
        for a in it:
            if a == '--owner':
                owners.append(next(it))
            elif a == '--exec':
                execs.append(next(it))
            else:
                ids.append(a)
        for i in c.get_all_images(image_ids=ids or None, owners=owners or None, executable_by=execs or None):
            print('\t'.join(str(x) for x in (i.id, i.location, i.state, i.ownerId, i.is_public, i.architecture,
                                             i.type, i.kernel_id, i.ramdisk_id, ','.join(i.product_codes))))
    elif command == 'attr':
        a = c.get_image_attribute(args[0], attribute=args[1])
        if args[1] == 'launchPermission':
            print('groups=%s users=%s' % (','.join(a.attrs.get('groups', [])), ','.join(a.attrs.get('user_ids', []))))
        else:
            print(a.attrs.get(args[1]))
    elif command == 'launch':
        users = [x for x in args[2:] if x != 'all']
        groups = [x for x in args[2:] if x == 'all']
        print(c.modify_image_attribute(args[0], attribute='launchPermission', operation=args[1],
                                       user_ids=users or None, groups=groups or None))
    elif command == 'reset':
        print(c.reset_image_attribute(args[0], attribute=args[1]))
    elif command == 'raw':
        resp = c.make_request(args[0], dict(a.split('=', 1) for a in args[1:]))
        print(resp.status)
        print(resp.read().decode('utf-8'))
    elif command == 'deregister':
        print(c.deregister_image(args[0]))
    else:
        sys.exit('unknown command ' + command)


if __name__ == '__main__':
    try:
        main(sys.argv)
    except EC2ResponseError as e:
        print('ERROR %s: %s' % (e.error_code, e.error_message))
        sys.exit(1)
