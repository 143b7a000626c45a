package com.driftremediator.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private git host over SSH on loopback: a real OpenSSH server (Debian's openssh-server) with a host key of its
 * own, that lets in only the deploy key it authorizes, and runs git's own upload-pack for the repositories on this
 * machine, at {@code ssh://root@ADDRESS:PORT/<absolute path>}, ADDRESS a loopback address. Debian's package, run as root ({@link SystemTool}).
 */
public final class SshGitHost implements AutoCloseable {
    public static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Path dir;
    private final String address;
    private final int port;
    private final Process sshd;

    private SshGitHost(Path dir, String address, int port, Process sshd) {
        this.dir = dir;
        this.address = address;
        this.port = port;
        this.sshd = sshd;
    }

    /** Lets in the holder of {@code deployKeyPublic} (an authorized_keys line) at {@code address}; state in {@code dir}. */
    public static SshGitHost start(Path dir, String address, String deployKeyPublic) {
        SystemTool.require(SSHD, "openssh-server", "a private git host over SSH (OpenSSH's sshd)");
        try {
            Files.createDirectories(dir);
            Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory
            keygen(dir.resolve("host_key"), "host");
            Files.writeString(dir.resolve("authorized_keys"), deployKeyPublic.strip() + "\n");
            int port = Sandbox.freePort(InetAddress.getByName(address));
            Files.writeString(dir.resolve("sshd_config"), """
                    Port %d
                    ListenAddress %s
                    HostKey %s
                    PidFile %s
                    AuthorizedKeysFile %s
                    PasswordAuthentication no
                    KbdInteractiveAuthentication no
                    UsePAM no
                    StrictModes no
                    PermitRootLogin prohibit-password
                    AllowUsers root
                    """.formatted(port, address, dir.resolve("host_key"), dir.resolve("sshd.pid"), dir.resolve("authorized_keys")));
            Process sshd = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile())
                    .redirectInput(new File("/dev/null")).start();
            SshGitHost server = new SshGitHost(dir, address, port, sshd);
            server.awaitListening();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new key pair in {@code file} and {@code file}.pub, no passphrase; returns the public key's line. */
    public static String keygen(Path file, String comment) {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(Path.of(file + ".pub"));
            SystemTool.run(file.getParent(), Map.of(), Duration.ofSeconds(30),
                    List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", file.toString()));
            return Files.readString(Path.of(file + ".pub")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code ssh://root@ADDRESS:PORT/<path>}: the repository at that absolute path on this machine. */
    public String url(Path repository) {
        return "ssh://root@" + address + ":" + port + repository.toAbsolutePath();
    }

    /** The known_hosts line of this server's host key, for its host name (the port goes by HostKeyAlias). */
    public String knownHostsLine() {
        try {
            String[] key = Files.readString(dir.resolve("host_key.pub")).strip().split(" ");
            return address + " " + key[0] + " " + key[1];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("sshd.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitListening() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, port), 500);
                return;
            } catch (IOException notYet) {
                if (!sshd.isAlive() || Instant.now().isAfter(deadline)) {
                    close();
                    throw new IllegalStateException("sshd did not start: " + log());
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        sshd.destroy();
        try {
            if (!sshd.waitFor(10, TimeUnit.SECONDS)) sshd.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
