package com.driftremediator.domain;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class UserDataTest {
    static final String SCRIPT = """
            #!/bin/bash
            git clone https://github.com/example/streamr-p2p.git /home/ec2-user/app
            systemctl enable --now streamr-app
            """;

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    static String fixture(String name) throws IOException {
        return Files.readString(Path.of("src/test/resources/diagnose", name));
    }

    @Test
    void noneWhenEc2ReturnsNothing() {
        assertThat(UserData.decode(null).present()).isFalse();
        assertThat(UserData.decode("  ").script()).isEmpty();
    }

    @Test
    void decodesAPlainShellScript() {
        UserData u = UserData.decode(b64(SCRIPT.getBytes(StandardCharsets.UTF_8)));

        assertThat(u.parts()).singleElement().satisfies(p -> assertThat(p.type()).isEqualTo("text/x-shellscript"));
        assertThat(u.script()).isEqualTo(SCRIPT);
        assertThat(u.notes()).isEmpty();
        assertThat(u.updaters()).isEmpty();
        assertThat(u.installsApp()).isTrue();
    }

    @Test
    void decodesGzipCompressedUserData() throws IOException {
        UserData u = UserData.decode(b64(gzip(SCRIPT.getBytes(StandardCharsets.UTF_8))));

        assertThat(u.script()).isEqualTo(SCRIPT);
        assertThat(u.notes()).containsExactly("gzip-compressed");
    }

    @Test
    void noticesUserDataEncodedTwice() {
        String once = b64(SCRIPT.getBytes(StandardCharsets.UTF_8));

        UserData u = UserData.decode(b64(once.getBytes(StandardCharsets.UTF_8)));

        assertThat(u.script()).isEqualTo(SCRIPT);
        assertThat(u.notes()).singleElement().asString().contains("base64-encoded twice");
    }

    @Test
    void decodesAMimeMultipartAsCloudInitMakeMimeWritesIt() throws IOException {
        UserData u = UserData.decode(b64(fixture("userdata-mime.txt").getBytes(StandardCharsets.UTF_8)));

        assertThat(u.parts()).extracting(UserData.Part::type).containsExactly("text/cloud-config", "text/x-shellscript");
        assertThat(u.parts()).extracting(UserData.Part::filename).containsExactly("config.yaml", "setup.sh");
        assertThat(u.notes()).containsExactly("MIME multipart with 2 part(s)");
        String script = u.script();
        assertThat(script).contains("# ---- part text/cloud-config config.yaml ----")
                .contains("# bootcmd (every boot, early)\necho booting > /dev/console\n")
                .contains("# package_update (first boot)\n# packages (first boot): git python3-pip\n")
                .contains("# write_files: /etc/systemd/system/streamr-app.service mode 0644\n")
                .contains("#   | ExecStart=/home/ec2-user/app/.venv/bin/uvicorn app:app --port 8000\n")
                .contains("# write_files: /etc/streamr/env\n#   | STREAMR_ENV=beta\n")
                .contains("# runcmd (first boot only, as a shell script)\n"
                        + "git clone https://github.com/example/streamr-p2p.git /home/ec2-user/app\n"
                        + "systemctl enable --now streamr-app\n")
                .contains("# ---- part text/x-shellscript setup.sh ----\n#!/bin/bash\nset -euxo pipefail\n");
        assertThat(u.updaters()).isEmpty();
    }

    @Test
    void decodesGzippedMimeWithBase64PartsAndSeesABoothook() throws IOException {
        byte[] mime = fixture("userdata-mime-base64.txt").getBytes(StandardCharsets.UTF_8);

        UserData u = UserData.decode(b64(gzip(mime)));

        assertThat(u.notes()).containsExactly("gzip-compressed", "gzip-compressed", "MIME multipart with 2 part(s)");
        assertThat(u.parts().get(0).content()).isEqualTo("#!/bin/sh\necho 'héllo' > /tmp/greeting\n");
        assertThat(u.parts().get(1).type()).isEqualTo("text/cloud-boothook");
        assertThat(u.updaters()).containsExactly("a cloud-boothook part (runs on every boot)");
    }

    @Test
    void findsWhatWouldUpdateTheAppLater() {
        String withHup = "#!/bin/bash\n/opt/aws/bin/cfn-hup || true\necho '*/5 * * * * root /opt/pull.sh' > /etc/cron.d/pull\n";

        UserData u = UserData.decode(b64(withHup.getBytes(StandardCharsets.UTF_8)));

        assertThat(u.updaters()).containsExactly("cfn-hup (re-runs on stack metadata changes)", "a cron job");
    }

    @Test
    void showsCloudConfigThatIsNotYaml() {
        UserData u = UserData.decode(b64("#cloud-config\nruncmd: [unclosed\n".getBytes(StandardCharsets.UTF_8)));

        assertThat(u.script()).startsWith("# #cloud-config that is not valid YAML (cloud-init would ignore it)");
    }

    @Test
    void showsTextThatIsNotBase64AsReceived() {
        UserData u = UserData.decode("#!/bin/sh\necho not encoded\n");

        assertThat(u.notes()).containsExactly("not base64: shown as received");
        assertThat(u.script()).isEqualTo("#!/bin/sh\necho not encoded\n");
    }
}
