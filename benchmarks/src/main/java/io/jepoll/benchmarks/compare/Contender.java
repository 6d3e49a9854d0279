package io.jepoll.benchmarks.compare;

import java.util.Optional;

/**
 * One column of a load run: a server, and for a Java server the JDK it runs on and, for jepoll's
 * epoll transports, the binding to the C shim ({@code jna} or {@code ffm}, the server JVM's
 * {@code -Djepoll.binding}). Its label names all three, {@code jepoll-et@25/ffm}, {@code netty@17},
 * {@code nginx}: the CSV's server column and the charts' categories.
 */
record Contender(Server server, Optional<Jdk> jdk, Optional<String> binding) {

    static final String JNA = "jna";
    static final String FFM = "ffm";

    static Contender of(Server server) {
        return new Contender(server, Optional.empty(), Optional.empty());
    }

    String label() {
        return server.label() + jdk.map(j -> "@" + j.label()).orElse("") + binding.map(b -> "/" + b).orElse("");
    }

    String jdkLabel() {
        return jdk.map(Jdk::label).orElse("");
    }

    String bindingLabel() {
        return binding.orElse("");
    }
}
