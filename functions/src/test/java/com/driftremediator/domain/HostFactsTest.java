package com.driftremediator.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostFactsTest {
    static final String OUTPUT = """
            some agent noise
            {"format":"drift-remediator-diagnose/1","now":"1795840626","appDirectory":"/home/ec2-user/app","layout":"git","resolvedDirectory":"/home/ec2-user/app","revision":"3f2a1c900000000000000000000000000000000a","releaseSwitchedAt":"","modifiedFiles":"1","served":"","versionUrl":"","unit":"streamr-app","systemctl":"yes","loadState":"loaded","activeState":"active","subState":"running","activeEnterTimestamp":"Fri 2026-11-20 09:12:03 UTC","activeEnterEpoch":"","execStart":"{ path=/usr/bin/python3 ; argv[]=/usr/bin/python3 -m uvicorn app:app ; ignore_errors=no }","workingDirectory":"/home/ec2-user/app","fragmentPath":"/etc/systemd/system/streamr-app.service","mainPid":"0","processDirectory":"","processRevision":"","cloudInitLog":"/var/log/cloud-init-output.log","cloudInitLogExists":"yes","cloudInitFinished":""}

            ==> drift-remediator modified-files <==
             M app.py

            ==> drift-remediator unit-file <==
            [Service]
            ExecStart=/usr/bin/python3 -m uvicorn app:app

            ==> drift-remediator cloud-init-errors <==
            12:Traceback (most recent call last):

            ==> drift-remediator cloud-init-tail <==
            + pip install -r requirements.txt
            Traceback (most recent call last):

            ==> drift-remediator end <==
            """;

    @Test
    void parsesTheFactsLineAndTheSections() {
        HostFacts h = HostFacts.parse(OUTPUT);

        assertThat(h.app().revision().shortSha()).isEqualTo("3f2a1c9");
        assertThat(h.app().changedAt()).isNull();
        assertThat(h.app().modifiedFiles()).containsExactly(" M app.py");
        assertThat(h.service().startedAt()).isEqualTo(Instant.parse("2026-11-20T09:12:03Z"));
        assertThat(h.service().command()).isEqualTo("/usr/bin/python3 -m uvicorn app:app");
        assertThat(h.service().unitFile()).isEqualTo("[Service]\nExecStart=/usr/bin/python3 -m uvicorn app:app\n");
        assertThat(h.cloudInit().finished()).isFalse();
        assertThat(h.cloudInit().errors()).containsExactly("12:Traceback (most recent call last):");
        assertThat(h.cloudInit().tail()).startsWith("+ pip install");
        assertThat(h.observedAt()).isEqualTo(Instant.ofEpochSecond(1795840626L));
    }

    @Test
    void saysWhyOutputIsNotADiagnosis() {
        assertThatThrownBy(() -> HostFacts.parse("")).hasMessage("the diagnostic script printed nothing");
        assertThatThrownBy(() -> HostFacts.parse("{\"result\":\"deployed\"}\n"))
                .hasMessage("no drift-remediator-diagnose/1 facts line in the output");
    }

    @Test
    void leavesOtherTimeZonesUnparsedRatherThanGuessing() {
        assertThat(HostFacts.systemdTime("Fri 2026-11-20 10:12:03 CET")).isNull();
        assertThat(HostFacts.systemdTime("n/a")).isNull();
    }
}
