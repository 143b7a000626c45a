"""moto_server for `remediator emulator`, plus the one SSM call moto lacks.

moto answers DescribeInstanceInformation with HTTP 500 (not implemented). drift-remediator asks it before
every observation, so this wrapper answers it from moto's own EC2 state: every running instance is an
Online managed instance, and an instance tagged ssm:agent=stopped is ConnectionLost (to show UNREACHABLE).
"""
from datetime import datetime, timezone

from moto.core.responses import ActionResult
from moto.ec2.models import ec2_backends
from moto.server import main
from moto.ssm.responses import SimpleSystemManagerResponse


def describe_instance_information(self):
    wanted = set()
    for f in (self._get_param("Filters") or []) + (self._get_param("InstanceInformationFilterList") or []):
        if f.get("Key") in ("InstanceIds", "instanceIds"):
            wanted.update(f.get("Values") or f.get("valueSet") or [])
    now = datetime.now(timezone.utc)
    items = []
    for instance in ec2_backends[self.current_account][self.region].all_instances():
        if instance.state != "running" or (wanted and instance.id not in wanted):
            continue
        tags = {t["key"]: t["value"] for t in instance.get_tags()} if hasattr(instance, "get_tags") else {}
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

if __name__ == "__main__":
    main()
