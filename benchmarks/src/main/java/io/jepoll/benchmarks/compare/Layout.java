package io.jepoll.benchmarks.compare;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the runs are made from: the jars and the floor server (copies, so that a rebuild in the
 * checkout during the runs cannot change what is measured), the wrk script, the nginx template,
 * the files the static benchmark serves, and a scratch directory for logs.
 *
 * @param nginx the nginx executable, when installed
 * @param floor the floor server's executable, when it was built
 * @param echoFloor the echo floor server's executable ({@code native/echo_floor.c}), when it was built
 * @param echoLoad the C echo load generator ({@code native/echo_load.c}), when it was built
 * @param files the directory jepoll (--root) and nginx (its root) serve
 * @param tls the certificate and key of the https benchmark, made when it runs
 * @param freshSessions the library wrk preloads for full TLS handshakes ({@code native/wrk_fresh_sessions.c}),
 *     when it was built
 */
record Layout(Path jepollJar, Optional<Path> baselineJar, Path benchJar, Path pipelineScript, Path nginxTemplate,
        Optional<Path> nginx, Optional<Path> floor, Optional<Path> echoFloor, Optional<Path> echoLoad, Path files, Optional<TlsFiles> tls, Optional<Path> freshSessions,
        Path scratch) {

    /** The jar a jepoll server kind runs. */
    Path jarOf(Server server) {
        return server.kind() == Server.Kind.BASELINE ? baselineJar.orElseThrow() : jepollJar;
    }

    /** The java of the JVM running the load runs. */
    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
