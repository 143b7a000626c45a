"""Prints template.yaml as CloudFormation receives it: the AWS::Serverless transform by SAM's own translator."""
import json
import sys

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class NoManagedPolicyNames:
    """The template names its managed policies by !Ref only: nothing to look up in IAM."""

    def load(self):
        return {}


template = yaml_parse(open(sys.argv[1]).read())
template["Globals"]["Function"]["CodeUri"] = "s3://bucket/functions.zip"  # what sam package writes
print(json.dumps(transform(template, {}, NoManagedPolicyNames())))
