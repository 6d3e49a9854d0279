package io.jepoll.cli;

import static io.jepoll.cli.CommandRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jepoll.cli.CommandRuns.Output;
import io.jepoll.echo.EchoHandler;
import io.jepoll.loop.Transport;
import io.jepoll.net.SocketOptions;
import io.jepoll.server.TcpServer;
import io.jepoll.shim.Shim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class MainTest {

    @Test
    void infoReportsTheLoadedLibraryAndTheTransports() {
        Output out = run("info");

        assertThat(out.exitCode()).isZero();
        assertThat(out.text())
                .contains("os          Linux")
                .contains("jdk         " + System.getProperty("java.runtime.version"))
                .contains("jna         " + com.sun.jna.Native.VERSION)
                .contains("native      " + Shim.libraryFile().orElseThrow() + " (ABI " + Shim.ABI_VERSION + ")")
                .contains("et          available")
                .contains("lt          available")
                .contains("nio         available")
                .contains("blocking    available")
                .contains("best        et");
    }

    @Test
    void everyCommandHasHelp() {
        CommandLine root = Main.commandLine();
        assertThat(root.getSubcommands()).containsKey("info");
        for (String name : root.getSubcommands().keySet()) {
            if (name.equals("help")) {
                continue;
            }
            Output out = run(name, "--help");
            assertThat(out.exitCode()).as(name).isZero();
            assertThat(out.text()).as(name).startsWith("Usage: jepoll " + name);
        }
        assertThat(run("--help").text()).startsWith("Usage: jepoll").contains("info");
    }

    /** Picocli's own list showed each command's first description line only. */
    @Test
    void theTopLevelHelpShowsEveryCommandsWholeDescription() {
        String help = flatten(run("--help").text());

        for (CommandLine command : Main.commandLine().getSubcommands().values()) {
            CommandLine.Model.UsageMessageSpec usage = command.getCommandSpec().usageMessage();
            String[] summary = usage.header().length > 0 ? usage.header() : usage.description();
            for (String line : summary) {
                assertThat(help).as("jepoll --help, for %s", command.getCommandName()).contains(flatten(line));
            }
        }
        assertThat(help).contains("POST /echo the request body, streamed back as it arrives, with its content type")
                .contains("Exits 0 when every byte came back exactly, 1 otherwise.");
    }

    /** Wrapping moves line breaks: compare words only. */
    private static String flatten(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }

    @Test
    void anUnknownCommandFailsWithUsage() {
        Output out = run("nonsense");
        assertThat(out.exitCode()).isEqualTo(2);
        assertThat(out.errors()).contains("Unmatched argument at index 0: 'nonsense'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "echo --port 0 --max-connections 0           | --max-connections must be >= 1: 0",
        "echo --port 0 --loops 0                     | --loops must be >= 1: 0",
        "echo --port 70000                           | --port must be 0..65535: 70000",
        "echo --loops 1                              | give --port, or --unix PATH for a Unix socket: one of them",
        "http --port 0 --unix /tmp/a.sock            | give --port, or --unix PATH for a Unix socket: one of them",
        "http --port 0 --unix-mode 660               | --unix-mode needs --unix",
        "echo --unix /tmp/a.sock --unix-mode 0999    | --unix-mode must be 3 octal digits, e.g. 660: 0999",
        "echo-client --message hi                    | give --port, or --unix PATH for a Unix socket: one of them",
        "http --port 0 --max-time 0s                 | --max-time must be more than zero: PT0S",
        "http --port 0 --stats --stats-interval 0ms  | --stats-interval must be more than zero: PT0S",
        "echo-client --port 9 --message hi --bytes 9 | --message and --bytes exclude each other",
        "echo-client --port 9 --connections 4        | --connections needs --bytes",
        "echo-client --port 9 --bytes 0              | --bytes must be >= 1: 0",
        "echo-client --port 9 --timeout 0s           | --timeout must be more than zero: PT0S",
        "echo --port 0 --idle-timeout -1s            | --idle-timeout must be 0s or more: PT-1S",
        "http --port 0 --root /no/such/dir           | --root must be a directory: /no/such/dir",
        "http --port 0 --max-buffered 0              | --max-buffered must be >= 1: 0",
        "http --port 0 --max-buffered lots           | is not a size: use e.g.",
        "http --port 0 --tls-cert c.pem              | --tls-cert and --tls-key go together",
        "echo --port 0 --tls-key k.pem               | --tls-cert and --tls-key go together",
        "http --port 0 --tls-cert c.pem --tls-key k.pem --tls-keystore s.p12"
                + " | --tls-cert/--tls-key and --tls-keystore exclude each other",
        "echo --port 0 --tls-client-ca ca.pem        | --tls-client-ca needs TLS: --tls-cert and --tls-key, or --tls-keystore",
        "echo --port 0 --tls-keystore-password x     | --tls-keystore-password needs --tls-keystore",
        "http --port 0 --tls-keystore s.p12 --tls-client-ca ca.pem --tls-client-auth maybe"
                + " | --tls-client-auth must be required or optional: maybe",
        "http --port 0 --tls-keystore s.p12 --tls-client-auth optional | --tls-client-auth needs --tls-client-ca",
        "http --port 0 --tls-keystore s.p12 --tls-handshake-timeout 0s | --tls-handshake-timeout must be more than zero",
        "http --port 0 --tls-keystore s.p12 --tls-reload-check -1s     | --tls-reload-check must be 0s or more",
        "echo-client --port 9 --tls-trust ca.pem     | --tls-trust, --insecure, --tls-server-name and --tls-cert need --tls",
        "echo-client --port 9 --insecure             | --tls-trust, --insecure, --tls-server-name and --tls-cert need --tls",
        "echo-client --port 9 --tls --tls-key k.pem  | --tls-cert and --tls-key go together",
        "echo-client --port 9 --tls --insecure --tls-trust ca.pem | --tls-trust and --insecure exclude each other",
    })
    void aBadValueIsAUsageErrorNamingItsOption(String args, String message) {
        Output out = run(args.trim().split(" +"));

        assertThat(out.exitCode()).as("exit code of %s", args).isEqualTo(2);
        assertThat(out.errors()).contains(message).contains("Usage: jepoll " + args.split(" ")[0]);
        assertThat(out.text()).as("nothing started").doesNotContain("listening");
    }

    /** The case: a second server on a port another server holds fails, on every transport. */
    @ParameterizedTest
    @CsvSource({"et", "lt", "nio", "blocking"})
    void aSecondServerOnATakenPortFailsNamingTheAddress(String transport) throws Exception {
        assumeTrue(Transport.parse(transport).isAvailable(),
                () -> transport + " cannot run here");
        try (TcpServer holder = TcpServer.builder().handler(EchoHandler::new).build().start()) {
            for (String command : new String[] {"echo", "http"}) {
                Output out = run(command, "--port", String.valueOf(holder.port()), "--transport", transport,
                        "--loops", "2", "--max-time", "2s");

                assertThat(out.exitCode()).as("exit code of %s", command).isEqualTo(1);
                assertThat(out.errors()).contains("127.0.0.1:" + holder.port()).contains("Address already in use");
                assertThat(out.text()).doesNotContain("listening");
            }
        }
    }

    /** --reuse-port reaches the listener: a port whose holder asked for SO_REUSEPORT is shared. */
    @Test
    void reusePortSharesAPortWithAServerThatAskedForItToo() throws Exception {
        try (TcpServer holder = TcpServer.builder().handler(EchoHandler::new)
                .options(SocketOptions.builder().reusePort(true).build()).build().start()) {
            Output out = run("echo", "--port", String.valueOf(holder.port()), "--reuse-port", "--loops", "2",
                    "--max-time", "1s");

            assertThat(out.exitCode()).as("exit code; errors: %s", out.errors()).isZero();
            assertThat(out.text()).contains("listening on 127.0.0.1:" + holder.port());
        }
    }
}
