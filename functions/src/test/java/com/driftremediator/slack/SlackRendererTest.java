package com.driftremediator.slack;

import com.driftremediator.domain.Outcome;
import com.driftremediator.domain.Report;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class SlackRendererTest {
    private static final Path SNAPSHOTS = Path.of("src/test/resources/slack/snapshots");

    /**
     * Each template against its snapshot, compared exactly. After an intended change, regenerate with
     * {@code -Dsnapshots.update=true} and review the diff.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "detected, SKIPPED", "started, STARTED", "succeeded, REMEDIATED", "noop, NOOP", "rolled-back, ROLLED_BACK",
            "failed, FAILED", "unreachable, UNREACHABLE", "timed-out, TIMED_OUT"})
    void everyKindMatchesItsSnapshot(String name, Outcome outcome) throws IOException {
        assertMatchesSnapshot(name, SlackRenderer.render(Reports.report(outcome), Reports.CONTEXT));
    }

    @Test
    void withoutRepositoryOrLinksShortShasAreCodeAndNoButtonsAreShown() throws IOException {
        Report r = Reports.report(Outcome.REMEDIATED);
        Report bare = new Report(r.environment(), r.stack(), r.instances(), r.desired(), r.previous(), null,
                r.verdictReason(), r.outcome(), r.commandId(), r.startedAt(), r.finishedAt(), Map.of(), null);
        SlackMessage m = SlackRenderer.render(bare, RenderContext.NONE);
        assertMatchesSnapshot("succeeded-bare", m);
        assertThat(m.toJson()).doesNotContain("/commit/").contains("`194af44`");
        assertThat(types(m)).doesNotContain("actions");
    }

    @Test
    void theFallbackTextSaysWhatHappenedAndWhyInPlainWords() {
        SlackMessage m = SlackRenderer.render(Reports.report(Outcome.REMEDIATED), Reports.CONTEXT);
        assertThat(m.text()).isEqualTo(":white_check_mark: prod: streamr-p2p-prod remediated, now serves 194af44."
                + " served 3f2a1c9 since boot, stack updated 2 h ago");
    }

    @Test
    void mrkdwnSpecialCharactersFromTheReportAreEscaped() {
        SlackMessage m = SlackRenderer.render(Reports.report(Outcome.FAILED), Reports.CONTEXT);
        String section = m.blocks().get(1).path("text").path("text").asText();
        assertThat(section).contains("uvloop==0.99 &amp; no wheel matches &lt;py3.12&gt;").doesNotContain("<py3.12>");
        assertThat(m.text()).contains("&amp; no wheel matches &lt;py3.12&gt;");
    }

    @Test
    void thePublishersLinkKeysBecomeButtonsWithoutDuplicatingTheCommandOutput() {
        List<String> labels = new ArrayList<>();
        SlackRenderer.render(Reports.report(Outcome.FAILED), Reports.CONTEXT).blocks().findValues("elements")
                .forEach(e -> e.forEach(b -> labels.add(b.path("text").path("text").asText())));
        assertThat(labels).containsSubsequence("Command output", "Logs", "Load balancer")
                .filteredOn("Command output"::equals).hasSize(1);
    }

    @Test
    void diagnosisIsShownOnFailuresOnly() {
        assertThat(SlackRenderer.render(Reports.report(Outcome.FAILED), Reports.CONTEXT).toJson()).contains("*Diagnosis*");
        assertThat(SlackRenderer.render(Reports.report(Outcome.ROLLED_BACK), Reports.CONTEXT).toJson()).contains("*Diagnosis*");
        Report succeeded = Reports.report(Outcome.REMEDIATED);
        Report withDiagnosis = new Report(succeeded.environment(), succeeded.stack(), succeeded.instances(),
                succeeded.desired(), succeeded.previous(), null, null, Outcome.REMEDIATED, null, null, null, null, "all fine");
        assertThat(SlackRenderer.render(withDiagnosis, Reports.CONTEXT).toJson()).doesNotContain("Diagnosis");
    }

    @Test
    void aReportWithOnlyAnOutcomeStillRenders() {
        Report minimal = new Report(null, null, null, null, null, null, null, Outcome.FAILED, null, null, null, null, null);
        SlackMessage m = SlackRenderer.render(minimal, Reports.CONTEXT);
        assertThat(m.text()).isEqualTo(":x: unknown environment: redeploy of unknown revision to unknown stack failed");
        assertThat(m.blocks().size()).isBetween(3, 50);
    }

    @Test
    void hugeReportsStayWithinBlockKitLimits() {
        String diagnosis = "cloud-init <error> & more\n".repeat(20_000);
        List<String> instances = IntStream.range(0, 200).mapToObj(i -> String.format("i-%017x", i)).toList();
        Map<String, String> links = new java.util.HashMap<>();
        IntStream.range(0, 60).forEach(i -> links.put("link " + i + " " + "x".repeat(100), "https://example.com/" + i));
        links.put("too long", "https://example.com/" + "y".repeat(4000));
        Report r = Reports.report(Outcome.FAILED);
        Report huge = new Report("e".repeat(500), "s".repeat(5000), instances, r.desired(), r.previous(),
                "z".repeat(5000), "<reason> & ".repeat(2000), Outcome.FAILED, r.commandId(), r.startedAt(), r.finishedAt(),
                links, diagnosis);

        SlackMessage m = SlackRenderer.render(huge, Reports.CONTEXT);

        assertThat(m.blocks().size()).isLessThanOrEqualTo(50);
        assertThat(m.text()).isNotBlank().hasSizeLessThanOrEqualTo(3000);
        for (JsonNode text : textObjects(m)) {
            assertThat(text.path("text").asText()).hasSizeLessThanOrEqualTo(3000);
            assertThat(text.path("text").asText()).doesNotContainPattern("&[a-z]{0,3}$"); // no entity cut in half
        }
        JsonNode header = m.blocks().get(0).path("text").path("text");
        assertThat(header.asText()).hasSizeLessThanOrEqualTo(150);
        m.blocks().findValues("fields").forEach(f -> {
            assertThat(f.size()).isLessThanOrEqualTo(10);
            f.forEach(t -> assertThat(t.path("text").asText()).hasSizeLessThanOrEqualTo(2000));
        });
        List<String> actions = new ArrayList<>();
        m.blocks().forEach(b -> {
            if (b.path("type").asText().equals("actions")) b.path("elements").forEach(e -> {
                actions.add(e.path("url").asText());
                assertThat(e.path("text").path("text").asText()).hasSizeLessThanOrEqualTo(75);
            });
        });
        assertThat(actions).isNotEmpty().hasSizeLessThanOrEqualTo(25).allSatisfy(u -> assertThat(u).hasSizeLessThanOrEqualTo(3000));
        assertThat(m.toJson()).contains("and ").contains(" more").contains("…");
    }

    @Test
    void moreThanFiftyBlocksAreCutWithANote() {
        List<com.fasterxml.jackson.databind.node.ObjectNode> blocks = new ArrayList<>();
        IntStream.range(0, 80).forEach(i -> blocks.add(BlockKit.section("block " + i)));
        SlackMessage m = new SlackMessage("fallback", blocks);
        assertThat(m.blocks().size()).isEqualTo(50);
        assertThat(m.blocks().get(49).toString()).contains("31 more blocks left out");
    }

    @Test
    void fitNeverSplitsAnEntityOrASurrogatePair() {
        assertThat(BlockKit.fit("a&b", 3)).isEqualTo("a…");
        assertThat(BlockKit.fit("ab<", 5)).isEqualTo("ab…");
        assertThat(BlockKit.fit("x😀😀", 4)).isEqualTo("x😀…");
        assertThat(BlockKit.fit("<ok>", 8)).isEqualTo("&lt;ok…");
    }

    @Test
    void previewIsReadablePlainText() {
        String preview = SlackRenderer.preview(SlackRenderer.render(Reports.report(Outcome.ROLLED_BACK), Reports.CONTEXT));
        assertThat(preview)
                .startsWith("== :rewind: prod: 194af44 was unhealthy on streamr-p2p-prod, rolled back ==\n")
                .contains("Serving 3f2a1c9 again: 194af44 failed its health check")
                .contains("  Duration: 1 min 12 s\n")
                .contains("  -> Load balancer: http://streamr-prod-alb-123456789.eu-west-1.elb.amazonaws.com/streams\n")
                .contains("started 2026-11-27 14:03 UTC")
                .doesNotContain("&lt;", "<!date");
    }

    @Test
    void docsSlackMdShowsTheRealPreviewOfTheRolledBackEvent() throws IOException {
        Path root = com.driftremediator.testing.ProjectPaths.root();
        String message = BlockKit.JSON.readTree(Files.readString(root.resolve("events/sns-remediation-rolled-back.json")))
                .at("/Records/0/Sns/Message").asText();
        RenderContext docs = new RenderContext("https://github.com/example/streamr-p2p.git",
                "http://streamr-prod-alb-123456789.eu-west-1.elb.amazonaws.com", "eu-west-1");
        String preview = SlackRenderer.preview(SlackRenderer.render(com.driftremediator.domain.ReportJson.read(message), docs));
        assertThat(Files.readString(root.resolve("docs/slack.md"))).contains("```\n" + preview + "```\n");
    }

    @ParameterizedTest
    @CsvSource({"850, 850 ms", "42000, 42 s", "72000, 1 min 12 s", "7380000, 2 h 3 min"})
    void durationsReadLikePeopleSayThem(long ms, String expected) {
        assertThat(SlackRenderer.duration(java.time.Duration.ofMillis(ms))).isEqualTo(expected);
    }

    @Test
    void theReasonIsCutToItsFirstSentence() {
        assertThat(SlackRenderer.firstSentence("served 3f2a1c9 since boot. More detail\nhere")).isEqualTo("served 3f2a1c9 since boot");
        assertThat(SlackRenderer.firstSentence("v1.2 is stale")).isEqualTo("v1.2 is stale");
        assertThat(SlackRenderer.firstSentence(null)).isEmpty();
    }

    @Test
    void slackDatesFallBackToUtc() {
        Report r = Reports.report(Outcome.STARTED);
        assertThat(SlackRenderer.render(r, RenderContext.NONE).toJson())
                .contains("<!date^" + Instant.parse("2026-11-27T14:03:00Z").getEpochSecond() + "^{date_short_pretty} {time}|2026-11-27 14:03 UTC>");
    }

    static List<JsonNode> textObjects(SlackMessage m) {
        return m.blocks().findParents("type").stream()
                .filter(n -> n.path("type").asText().matches("plain_text|mrkdwn")).toList();
    }

    private static List<String> types(SlackMessage m) {
        List<String> types = new ArrayList<>();
        m.blocks().forEach(b -> types.add(b.path("type").asText()));
        return types;
    }

    private static void assertMatchesSnapshot(String name, SlackMessage message) throws IOException {
        Path file = SNAPSHOTS.resolve(name + ".json");
        String actual = message.toPrettyJson() + "\n";
        if (Boolean.getBoolean("snapshots.update")) {
            Files.createDirectories(SNAPSHOTS);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertThat(file).as("snapshot %s (create it with -Dsnapshots.update=true)", file).exists();
        assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
}
