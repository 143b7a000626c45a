package com.driftremediator.cli;

import com.driftremediator.aws.AwsClients;
import com.driftremediator.aws.diagnose.AwsDiagnosticSource;
import com.driftremediator.domain.Diagnoser;
import com.driftremediator.domain.Diagnosis;
import com.driftremediator.domain.DiagnosisFormat;
import com.driftremediator.domain.Revision;
import com.driftremediator.domain.Target;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * {@code remediator diagnose --instance-id ID [--stack NAME] [--desired SHA] [--region R] [--format text|json|markdown]}:
 * the four questions about one instance, answered against AWS (or {@code AWS_ENDPOINT_URL}).
 */
final class DiagnoseCommand {
    static final String USAGE = "usage: remediator diagnose --instance-id ID [--stack NAME] [--desired SHA] [--region R]"
            + " [--format text|json|markdown] [--app-directory DIR] [--service NAME] [--document NAME]"
            + " [--version-url URL] [--wait SECONDS]";

    private DiagnoseCommand() {
    }

    static int run(String[] args) {
        Map<String, String> o = options(args);
        String id = o.get("instance-id");
        if (id == null) throw new Main.UsageException("--instance-id is required\n" + USAGE);
        if (!Target.isInstanceId(id)) {
            throw new Main.UsageException("not an EC2 instance id (i-0123456789abcdef0): '"
                    + id.replaceAll("\\p{Cntrl}", "?") + "'");
        }
        DiagnosisFormat.Style style;
        try {
            style = DiagnosisFormat.Style.parse(o.getOrDefault("format", "text"));
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage());
        }
        Revision desired = null;
        if (o.containsKey("desired")) {
            desired = Revision.parse(o.get("desired"))
                    .orElseThrow(() -> new Main.UsageException("--desired must be a 40-hex commit SHA"));
        }
        int wait = seconds(o.getOrDefault("wait", "90"));
        String environment = env("ENVIRONMENT", "beta");
        var settings = new AwsDiagnosticSource.Settings(
                o.getOrDefault("document", env("DIAGNOSE_DOCUMENT", "drift-remediator-diagnose-" + environment)),
                o.getOrDefault("app-directory", env("APP_DIRECTORY", "/home/ec2-user/app")),
                o.getOrDefault("service", env("SERVICE_NAME", "streamr-app")),
                "/var/log/cloud-init-output.log", o.get("version-url"), Duration.ofSeconds(wait), Duration.ofSeconds(2));
        AwsClients aws = clients(o.get("region"));
        try {
            Diagnoser diagnoser = new Diagnoser(new AwsDiagnosticSource(aws.build(Ec2Client.builder()),
                    aws.build(SsmClient.builder()), aws.build(CloudFormationClient.builder()), settings),
                    System.getenv("APP_STACK_NAME"));
            Diagnosis d = diagnoser.diagnose(new Target(id), o.get("stack"), desired);
            System.out.print(DiagnosisFormat.render(d, style));
            if (style == DiagnosisFormat.Style.JSON) System.out.println();
            return 0;
        } catch (SdkException e) {
            System.err.println("remediator diagnose: AWS call failed: " + e.getMessage());
            return 1;
        }
    }

    /** Like {@link AwsClients#fromEnvironment()}, with --region taking precedence. */
    private static AwsClients clients(String regionOption) {
        String region = regionOption != null ? regionOption : env("AWS_REGION", env("AWS_DEFAULT_REGION", null));
        if (region == null) throw new Main.UsageException("no region: give --region or set AWS_REGION");
        AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        String endpoint = env("AWS_ENDPOINT_URL", null);
        return new AwsClients(Region.of(region), credentials, endpoint == null ? null : URI.create(endpoint));
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) throw new Main.UsageException("unexpected argument '" + a + "'\n" + USAGE);
            String name = a.substring(2);
            String value;
            if (name.contains("=")) {
                value = name.substring(name.indexOf('=') + 1);
                name = name.substring(0, name.indexOf('='));
            } else {
                if (i + 1 >= args.length) throw new Main.UsageException(a + " needs a value\n" + USAGE);
                value = args[++i];
            }
            if (!USAGE.contains("--" + name + " ")  && !USAGE.contains("--" + name + "]")) {
                throw new Main.UsageException("unknown option --" + name + "\n" + USAGE);
            }
            o.put(name, value);
        }
        return o;
    }

    private static int seconds(String text) {
        try {
            int s = Integer.parseInt(text);
            if (s >= 1 && s <= 600) return s;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Main.UsageException("--wait must be 1..600 seconds");
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
