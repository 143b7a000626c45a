package bench.naive;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.SendCommandResponse;

/**
 * The naive baseline: the same job as DriftCheckFunction's CloudFormation path (stack -> instances -> SendCommand),
 * written the way a typical sample does: a POJO handler the runtime maps from JSON, SDK clients with every default
 * (default HTTP client, region and credential discovery), a new ObjectMapper per call.
 */
public class NaiveDriftCheckHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final CloudFormationClient cloudFormation = CloudFormationClient.create();
    private final Ec2Client ec2 = Ec2Client.create();
    private final SsmClient ssm = SsmClient.create();

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        ObjectMapper mapper = new ObjectMapper();
        context.getLogger().log("event: " + toJson(mapper, event));
        Map<String, Object> detail = (Map<String, Object>) event.get("detail");
        String stackId = (String) detail.get("stack-id");

        Stack stack = cloudFormation.describeStacks(r -> r.stackName(stackId)).stacks().get(0);
        String revision = null;
        for (Output output : stack.outputs()) {
            if (output.outputKey().equals("Revision")) revision = output.outputValue();
        }
        List<String> instanceIds = new ArrayList<>();
        for (StackResource resource : cloudFormation.describeStackResources(r -> r.stackName(stackId)).stackResources()) {
            if (resource.resourceType().equals("AWS::EC2::Instance")) instanceIds.add(resource.physicalResourceId());
        }
        List<String> running = new ArrayList<>();
        for (Reservation reservation : ec2.describeInstances(r -> r.instanceIds(instanceIds)).reservations()) {
            for (Instance instance : reservation.instances()) {
                if (instance.state().nameAsString().equals("running")) running.add(instance.instanceId());
            }
        }
        Map<String, Object> result = new HashMap<>();
        result.put("revision", revision);
        result.put("instances", running);
        if (!running.isEmpty() && revision != null) {
            String desired = revision;
            SendCommandResponse sent = ssm.sendCommand(r -> r.documentName(System.getenv("DOCUMENT_NAME"))
                    .instanceIds(running).parameters(Map.of("Revision", List.of(desired))));
            result.put("commandId", sent.command().commandId());
        }
        context.getLogger().log("result: " + toJson(mapper, result));
        return result;
    }

    private static String toJson(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (Exception e) {
            return String.valueOf(value);
        }
    }
}
