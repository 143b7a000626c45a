package com.driftremediator.aws;

import com.driftremediator.domain.Notifier;
import com.driftremediator.domain.Report;
import com.driftremediator.domain.ReportJson;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * Publishes each report on RemediationTopic as the ReportJson message, with message attributes
 * {@code environment} and {@code outcome} (for subscription filter policies) and console links to
 * the command's output and its CloudWatch logs.
 */
public final class SnsNotifier implements Notifier {
    private final SnsClient sns;
    private final String topicArn;
    private final String region;
    private final String logGroup;

    public SnsNotifier(SnsClient sns, String topicArn, String region, String logGroup) {
        this.sns = sns;
        this.topicArn = topicArn;
        this.region = region;
        this.logGroup = logGroup;
    }

    @Override
    public void publish(Report report) {
        Report withLinks = withLinks(report);
        sns.publish(r -> r.topicArn(topicArn).message(ReportJson.write(withLinks))
                .subject(subject(withLinks))
                .messageAttributes(Map.of(
                        "environment", attribute(withLinks.environment()),
                        "outcome", attribute(withLinks.outcome().name()))));
    }

    Report withLinks(Report r) {
        if (r.commandId() == null) return r;
        Map<String, String> links = new LinkedHashMap<>(r.links());
        links.putIfAbsent("command", "https://" + region + ".console.aws.amazon.com/systems-manager/run-command/"
                + r.commandId() + "?region=" + region);
        if (logGroup != null) {
            // The CloudWatch console's fragment wants '$252F' for '/' (URL-encoded twice, '%' written as '$')
            String group = URLEncoder.encode(URLEncoder.encode(logGroup, StandardCharsets.UTF_8), StandardCharsets.UTF_8)
                    .replace('%', '$');
            links.putIfAbsent("logs", "https://" + region + ".console.aws.amazon.com/cloudwatch/home?region=" + region
                    + "#logsV2:log-groups/log-group/" + group + "$3FlogStreamNameFilter$3D" + r.commandId());
        }
        return new Report(r.environment(), r.stack(), r.instances(), r.desired(), r.previous(), r.revisionSource(),
                r.verdictReason(), r.outcome(), r.commandId(), r.startedAt(), r.finishedAt(), links, r.diagnosis());
    }

    private static String subject(Report r) {
        String s = "drift-remediator " + r.environment() + ": " + r.outcome()
                + (r.desired() == null ? "" : " " + r.desired().shortSha());
        return s.length() > 100 ? s.substring(0, 100) : s; // SNS subject limit
    }

    private static MessageAttributeValue attribute(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
