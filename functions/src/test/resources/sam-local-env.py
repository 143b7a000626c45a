"""Prints, for each function named, the environment `sam local invoke FUNCTION --env-vars FILE` gives its container:
SAM CLI's own resolution (template, this process's environment, the file), without starting a container."""
import json
import sys

from samcli.commands.local.lib.local_lambda import LocalLambdaRunner
from samcli.lib.providers.sam_function_provider import SamFunctionProvider
from samcli.lib.providers.sam_stack_provider import SamLocalStackProvider

template, env_vars_file, functions = sys.argv[1], sys.argv[2], sys.argv[3:]
stacks, _ = SamLocalStackProvider.get_stacks(template)
provider = SamFunctionProvider(stacks)
runner = LocalLambdaRunner(None, provider, ".", ".", env_vars_values=json.load(open(env_vars_file)))
print(json.dumps({f: runner._make_env_vars(provider.get(f)).resolve() for f in functions}))
