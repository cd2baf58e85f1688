#!/usr/bin/python3
"""A stand-in cloud controller for tools/test/euca_conf-tests.sh (test only).

Checks every request's signature version 2 (HmacSHA256) on its own, independently of
euca_conf's shell code, logs the parameters as JSON lines, and answers the admin actions
with canned EC2 replies (some with namespace prefixes and XML entities, as real ones may have).

usage: fake-clc.py PORTFILE LOGFILE ZIPFILE ACCESSKEY SECRETKEY
"""
import base64
import hashlib
import hmac
import http.server
import io
import json
import os
import sys
import urllib.parse
import zipfile

PORTFILE, LOGFILE, ZIPFILE, ACCESS, SECRET = sys.argv[1:6]
NS = 'xmlns="http://ec2.amazonaws.com/doc/2008-12-01/"'


def credentials_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("eucarc", "export EC2_URL=http://127.0.0.1/services/Eucalyptus\n")
        z.writestr("cloud-cert.pem", "-----BEGIN CERTIFICATE-----\n")
    data = buf.getvalue()
    with open(ZIPFILE, "wb") as f:
        f.write(data)
    return base64.b64encode(data).decode()


def error(code, message, status=400):
    return status, ("<?xml version=\"1.0\"?><Response><Errors><Error><Code>%s</Code><Message>%s</Message>"
                    "</Error></Errors><RequestID>r-1</RequestID></Response>" % (code, message))


def answer(p):
    action = p.get("Action")
    if action == "AddUser":
        name = p["UserName"]
        if name == "exists":
            return error("UserAlreadyExists", "user exists already")
        return 200, ("<AddUserResponse %s><requestId>1</requestId><user><userName>%s</userName>"
                     "<email>%s</email><admin>%s</admin><enabled>true</enabled>"
                     "<accessKey>AK-%s</accessKey><secretKey>SK-%s</secretKey></user></AddUserResponse>"
                     % (NS, name, p.get("Email", ""), p.get("Admin", "false"), name, name))
    if action == "DescribeUsers":
        return 200, ("<ns2:DescribeUsersResponse xmlns:ns2=\"http://ec2.amazonaws.com/doc/2008-12-01/\">\n"
                     "  <ns2:requestId>2</ns2:requestId>\n  <ns2:userSet>\n"
                     "    <ns2:item><ns2:userName>admin</ns2:userName><ns2:email/><ns2:admin>true</ns2:admin>"
                     "<ns2:enabled>true</ns2:enabled><ns2:accessKey>AKADMIN</ns2:accessKey></ns2:item>\n"
                     "    <ns2:item><ns2:userName>bob</ns2:userName><ns2:email>bob&amp;co@example.com</ns2:email>"
                     "<ns2:admin>false</ns2:admin><ns2:enabled>false</ns2:enabled>"
                     "<ns2:accessKey>AKBOB</ns2:accessKey></ns2:item>\n"
                     "  </ns2:userSet>\n</ns2:DescribeUsersResponse>\n")
    if action == "DescribeProperties":
        return 200, ("<DescribePropertiesResponse %s><propertySet>"
                     "<item><name>walrus.max.buckets.per.user</name><value>5</value></item>"
                     "<item><name>cloud.url</name><value/></item>"
                     "</propertySet></DescribePropertiesResponse>" % NS)
    if action == "ModifyPropertyValue":
        if p.get("Name") == "no.such":
            return error("InvalidParameterValue", "no property no.such")
        return 200, ("<ModifyPropertyValueResponse %s><name>%s</name><value>%s</value>"
                     "</ModifyPropertyValueResponse>" % (NS, p["Name"], p["Value"]))
    if action == "GetCredentials":
        return 200, ("<GetCredentialsResponse %s><fileName>euca2-%s-x509.zip</fileName><data>%s</data>"
                     "</GetCredentialsResponse>" % (NS, p["UserName"], credentials_zip()))
    if action in ("AddCluster", "DeleteUser", "DisableUser", "EnableUser"):
        return 200, "<%sResponse %s><return>true</return></%sResponse>" % (action, NS, action)
    if action == "Html500":
        return 500, "<html>internal error</html>"
    return error("InvalidAction", "unknown action %s" % action)


def expected_signature(host, path, params):
    q = "&".join("%s=%s" % (urllib.parse.quote(k, safe="-_.~"), urllib.parse.quote(v, safe="-_.~"))
                 for k, v in sorted(params.items(), key=lambda kv: kv[0].encode()))
    to_sign = "GET\n%s\n%s\n%s" % (host.lower(), path, q)
    return base64.b64encode(hmac.new(SECRET.encode(), to_sign.encode(), hashlib.sha256).digest()).decode()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        p = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        sig = p.pop("Signature", "")
        with open(LOGFILE, "a") as f:
            f.write(json.dumps({"path": url.path, "params": p}) + "\n")
        if p.get("AWSAccessKeyId") != ACCESS:
            status, body = error("AuthFailure", "unknown access key", 401)
        elif sig != expected_signature(self.headers["Host"], url.path, p):
            status, body = error("SignatureDoesNotMatch", "the signature does not match", 403)
        else:
            status, body = answer(p)
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(PORTFILE + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(PORTFILE + ".tmp", PORTFILE)
server.serve_forever()
