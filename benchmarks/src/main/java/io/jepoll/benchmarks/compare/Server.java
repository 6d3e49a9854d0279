package io.jepoll.benchmarks.compare;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** A server a load run can measure, by the name the options and the CSV use. */
enum Server {
    JEPOLL_ET("jepoll-et", Kind.JEPOLL, "et"),
    JEPOLL_LT("jepoll-lt", Kind.JEPOLL, "lt"),
    JEPOLL_NIO("jepoll-nio", Kind.JEPOLL, "nio"),
    JEPOLL_BLOCKING("jepoll-blocking", Kind.JEPOLL, "blocking"),
    BASE_ET("base-et", Kind.BASELINE, "et"),
    BASE_LT("base-lt", Kind.BASELINE, "lt"),
    BASE_NIO("base-nio", Kind.BASELINE, "nio"),
    BASE_BLOCKING("base-blocking", Kind.BASELINE, "blocking"),
    NETTY("netty", Kind.NETTY, null),
    NGINX("nginx", Kind.NGINX, null),
    FLOOR("floor", Kind.FLOOR, null),
    ECHO_FLOOR("echo-floor", Kind.ECHO_FLOOR, null);

    /** JEPOLL runs this checkout's jar, BASELINE the jar given with --baseline-jar, with the same command line. */
    enum Kind { JEPOLL, BASELINE, NETTY, NGINX, FLOOR, ECHO_FLOOR }

    private final String label;
    private final Kind kind;
    private final String transport;

    Server(String label, Kind kind, String transport) {
        this.label = label;
        this.kind = kind;
        this.transport = transport;
    }

    String label() {
        return label;
    }

    Kind kind() {
        return kind;
    }

    /** The jepoll CLI's --transport value; only for the servers run from a jepoll jar. */
    String transport() {
        return transport;
    }

    boolean runsJepollJar() {
        return kind == Kind.JEPOLL || kind == Kind.BASELINE;
    }

    /** nginx and the floor speak HTTP only. */
    boolean speaksEcho() {
        return kind != Kind.NGINX && kind != Kind.FLOOR;
    }

    /** The echo floor speaks echo only. */
    boolean speaksHttp() {
        return kind != Kind.ECHO_FLOOR;
    }

    /** The Java servers, which --jdks runs on each JDK. */
    boolean runsOnJdk() {
        return runsJepollJar() || kind == Kind.NETTY;
    }

    /** jepoll serves files with --root, nginx from its root; Netty's and the floor's servers have no files. */
    boolean servesFiles() {
        return runsJepollJar() || kind == Kind.NGINX;
    }

    /** jepoll's HTTP server with --tls-cert/--tls-key, and nginx with listen ... ssl; Netty's and the floor's do not. */
    boolean speaksTls() {
        return runsJepollJar() || kind == Kind.NGINX;
    }

    /**
     * JNA crossings mean something for the epoll transports only; NIO's and blocking's JNI calls are
     * the JDK's. So does the binding to the shim, which --bindings chooses.
     */
    boolean countsCrossings() {
        return runsJepollJar() && (transport.equals("et") || transport.equals("lt"));
    }

    /** About how long starting and stopping it takes, for the run's time estimate: a JVM takes longer. */
    int startStopSeconds() {
        return runsOnJdk() ? 2 : 1;
    }

    static Optional<Server> byLabel(String label) {
        return Arrays.stream(values()).filter(server -> server.label.equals(label)).findFirst();
    }

    static String labels() {
        return Arrays.stream(values()).map(Server::label).collect(Collectors.joining(" "));
    }
}
