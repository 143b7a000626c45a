# CodeCommit's git endpoint for tests, a CGI in front of git http-backend (CodeCommitHost). It checks what the AWS
# CLI's credential helper sends, as CodeCommit does: basic auth, the user the role's access key id (with
# "%<session token>" when the role has one), the password "<timestamp>Z<signature>": SigV4 for service codecommit,
# method GIT, the repository's path /v1/repos/REPO and the host, in the region the host name names. Anything else
# is answered 401; a signature is good for 15 minutes. Settings come from the server's environment (SetEnv).
# The botocore is the AWS CLI's own (awscli 1.4x vendors it as awscli.botocore).
import base64
import datetime
import hmac
import os
import re
import sys

from awscli.botocore.auth import SigV4Auth
from awscli.botocore.awsrequest import AWSRequest
from awscli.botocore.credentials import Credentials

KEY_ID = os.environ["CODECOMMIT_KEY_ID"]
SECRET = os.environ["CODECOMMIT_SECRET_KEY"]
TOKEN = os.environ.get("CODECOMMIT_SESSION_TOKEN", "")


def log(status, user, why):
    with open(os.environ["CODECOMMIT_LOG"], "a") as f:
        f.write("%s %s %s %s %s\n" % (status, user or "-", os.environ["REQUEST_METHOD"],
                                      os.environ["HTTP_HOST"] + os.environ["REQUEST_URI"], why))


def refuse(user, why):
    log(401, user, why)
    sys.stdout.write("Status: 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"codecommit\"\r\n"
                     "Content-Type: text/plain\r\n\r\n" + why + "\n")
    sys.exit(0)


def signature(host, region, path, timestamp):
    signer = SigV4Auth(Credentials(KEY_ID, SECRET), "codecommit", region)
    request = AWSRequest(method="GIT", url="https://%s%s" % (host, path))
    request.context["timestamp"] = timestamp
    canonical = "GIT\n%s\n\nhost:%s\n\nhost\n" % (path, host)
    return signer.signature(signer.string_to_sign(request, canonical), request)


def main():
    scheme, _, encoded = os.environ.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme != "Basic":
        refuse(None, "no credentials")
    user, _, password = base64.b64decode(encoded).decode().partition(":")
    key_id, _, token = user.partition("%")
    if key_id != KEY_ID or token != TOKEN:
        refuse(key_id, "unknown access key or session token")
    timestamp, _, signed = password.partition("Z")
    try:
        signed_at = datetime.datetime.strptime(timestamp, "%Y%m%dT%H%M%S").replace(tzinfo=datetime.timezone.utc)
    except ValueError:
        refuse(key_id, "no timestamp in the password")
    if abs(datetime.datetime.now(datetime.timezone.utc) - signed_at) > datetime.timedelta(minutes=15):
        refuse(key_id, "signature expired")
    repository = os.environ["PATH_INFO"].split("/")[1]
    host = os.environ["HTTP_HOST"].split(":")[0]
    region = re.match(r"git-codecommit\.([a-z0-9-]+)\.amazonaws\.com$", host)
    if region is None:
        refuse(key_id, "not a CodeCommit host name")
    if not hmac.compare_digest(signed, signature(host, region.group(1), "/v1/repos/" + repository, timestamp)):
        refuse(key_id, "signature does not match")
    log(200, key_id, "signed")
    with open(os.environ["CODECOMMIT_SEEN"], "a") as f:  # the passwords taken, for a test to search the instance for
        f.write(password + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CODECOMMIT_")}
    os.execve(os.environ["GIT_HTTP_BACKEND"], ["git-http-backend"], env)


main()
