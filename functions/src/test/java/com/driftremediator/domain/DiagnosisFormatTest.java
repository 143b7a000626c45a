package com.driftremediator.domain;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DiagnosisFormatTest {
    private final Diagnosis stale = DiagnosisTest.diagnose(DiagnosisTest.running(), DiagnosisTest.host(
            DiagnosisTest.release(DiagnosisTest.OLD, DiagnosisTest.LAUNCH),
            DiagnosisTest.service("active", DiagnosisTest.BOOT_START, null), DiagnosisTest.finished()), DiagnosisTest.NEW);

    @Test
    void jsonCarriesVerdictExplanationAndFacts() {
        JsonNode n = DiagnosisFormat.toJson(stale);

        assertThat(n.path("instanceId").asText()).isEqualTo("i-0123456789abcdef0");
        assertThat(n.path("verdict").asText()).isEqualTo("STALE_SINCE_BOOT");
        assertThat(n.path("explanation").asText()).isEqualTo(stale.explanation());
        JsonNode f = n.path("facts");
        assertThat(f.path("instance").path("launchTime").asText()).isEqualTo("2026-11-20T09:11:30Z");
        assertThat(f.path("stack").path("lastUpdatedAt").asText()).isEqualTo("2026-11-26T14:03:00Z");
        assertThat(f.path("desired").path("source").asText()).isEqualTo("stack output AppRevision");
        assertThat(f.path("userData").path("script").asText()).startsWith("#!/bin/bash\ngit clone");
        assertThat(f.path("app").path("revision").asText()).isEqualTo(DiagnosisTest.OLD.sha());
        assertThat(f.path("service").path("execStart").asText()).isEqualTo("/usr/bin/python3 -m uvicorn app:app");
        assertThat(f.path("cloudInit").path("finished").asBoolean()).isTrue();
    }

    @Test
    void textAndMarkdownLeadWithTheVerdict() {
        String text = DiagnosisFormat.render(stale, DiagnosisFormat.Style.TEXT);
        String md = DiagnosisFormat.render(stale, DiagnosisFormat.Style.MARKDOWN);

        assertThat(text).startsWith("i-0123456789abcdef0: STALE_SINCE_BOOT\nservice started at boot")
                .contains("revision on disk       " + DiagnosisTest.OLD.sha())
                .contains("-- UserData (plain) --\n#!/bin/bash");
        assertThat(md).startsWith("### i-0123456789abcdef0: `STALE_SINCE_BOOT`")
                .contains("| desired revision | " + DiagnosisTest.NEW.sha() + " |")
                .contains("<details><summary>UserData</summary>");
    }

    @Test
    void markdownKeepsTableCellsIntact() {
        HostFacts.App app = new HostFacts.App("/srv/a|b", "plain", null, null, null, List.of());
        Diagnosis d = DiagnosisTest.diagnose(DiagnosisTest.running(), DiagnosisTest.host(app,
                DiagnosisTest.service("active", DiagnosisTest.BOOT_START, null), DiagnosisTest.finished()), null);

        assertThat(DiagnosisFormat.render(d, DiagnosisFormat.Style.MARKDOWN)).contains("| app directory | /srv/a\\|b (plain) |");
    }

    @Test
    void namesTheFormatsOnABadChoice() {
        assertThat(DiagnosisFormat.Style.parse("Markdown")).isEqualTo(DiagnosisFormat.Style.MARKDOWN);
        assertThatThrownBy(() -> DiagnosisFormat.Style.parse("yaml")).hasMessage("--format must be text, json or markdown, not \"yaml\"");
    }
}
