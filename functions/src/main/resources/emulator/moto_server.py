"""moto_server for `remediator emulator`, plus the one SSM call moto lacks, and instances without public addresses.

moto answers DescribeInstanceInformation with HTTP 500 (not implemented). drift-remediator asks it before
every observation (and lists a tagged fleet with it), so this wrapper answers it from moto's own EC2 state:
every running instance is an Online managed instance, and an instance tagged ssm:agent=stopped is
ConnectionLost (to show UNREACHABLE). InstanceIds and tag:KEY filters are honoured.
"""
from datetime import datetime, timezone

import moto.ec2.models.elastic_network_interfaces as network_interfaces
from moto.core.responses import ActionResult
from moto.ec2.models import ec2_backends
from moto.server import main
from moto.ssm.responses import SimpleSystemManagerResponse


def describe_instance_information(self):
    wanted = set()
    tag_filters = {}  # "tag:Key" filters, as SSM documents them: the node carries the key with one of the values
    for f in (self._get_param("Filters") or []) + (self._get_param("InstanceInformationFilterList") or []):
        key = f.get("Key") or ""
        values = f.get("Values") or f.get("valueSet") or []
        if key in ("InstanceIds", "instanceIds"):
            wanted.update(values)
        elif key.startswith("tag:"):
            tag_filters[key[4:]] = set(values)
    now = datetime.now(timezone.utc)
    items = []
    for instance in ec2_backends[self.current_account][self.region].all_instances():
        if instance.state != "running" or (wanted and instance.id not in wanted):
            continue
        tags = {t["key"]: t["value"] for t in instance.get_tags()} if hasattr(instance, "get_tags") else {}
        if any(tags.get(k) not in v for k, v in tag_filters.items()):
            continue
        items.append({
            "InstanceId": instance.id,
            "PingStatus": "ConnectionLost" if tags.get("ssm:agent") == "stopped" else "Online",
            "LastPingDateTime": now,
            "AgentVersion": "3.3.2746.0",
            "PlatformType": "Linux",
            "PlatformName": "Amazon Linux",
            "PlatformVersion": "2023",
            "ResourceType": "EC2Instance",
            "IPAddress": instance.private_ip,
        })
    return ActionResult({"InstanceInformationList": items})


SimpleSystemManagerResponse.describe_instance_information = describe_instance_information

# Every address an emulated instance has is on loopback: its private address comes from the app stack, and it
# gets no public one (moto would make up a 54.214.x.x address), as an instance in a private subnet behind a load
# balancer has none.
network_interfaces.random_public_ip = lambda: None

if __name__ == "__main__":
    main()
