package io.jepoll.http;

import io.jepoll.net.Connection;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One line per answered request, in the Common Log Format with two fields after it:
 * <pre>
 * 203.0.113.7 - - [07/Dec/2026:15:24:53 +0000] "GET /index.html HTTP/1.1" 200 6 153 127.0.0.1:41234
 * </pre>
 * The client's address ({@link HttpRequest#clientAddress()}, without its port), two unused fields,
 * the time the answer was finished (UTC), the request line ({@code "-"} for a request refused
 * before its head was whole), the status, the body's bytes (0 for none, and for HEAD), the
 * microseconds from the first byte of the request's head to its answer, and the socket's peer
 * ({@code address:port}) when a balancer reported another client by the PROXY protocol, else
 * {@code -}. A double quote, a backslash or a byte outside printable ASCII in the request line
 * is written {@code \xHH}.
 */
final class AccessLog {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

    private final Consumer<? super String> lines;

    AccessLog(Consumer<? super String> lines) {
        this.lines = lines;
    }

    /**
     * The line of one answer.
     *
     * @param request the request, or null when it was refused before its head was whole
     */
    void answered(Connection connection, HttpRequest request, int status, long bodyBytes, long nanos) {
        SocketAddress client = connection.clientAddress();
        SocketAddress peer = connection.remoteAddress();
        StringBuilder line = new StringBuilder(160).append(host(client)).append(" - - [")
                .append(TIME.format(ZonedDateTime.now(ZoneOffset.UTC))).append("] \"");
        if (request == null) {
            line.append('-');
        } else {
            escaped(line, request.method()).append(' ');
            escaped(line, request.target()).append(' ').append(request.version());
        }
        line.append("\" ").append(status).append(' ').append(bodyBytes).append(' ').append(nanos / 1000).append(' ');
        if (peer == null || peer.equals(client)) {
            line.append('-');
        } else {
            line.append(hostAndPort(peer));
        }
        lines.accept(line.toString());
    }

    private static String host(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return address == null ? "-" : address.toString();
    }

    private static String hostAndPort(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String host = inet.getAddress().getHostAddress();
            return (inet.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return address.toString();
    }

    private static StringBuilder escaped(StringBuilder line, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') {
                line.append(String.format("\\x%02X", c & 0xFF));
            } else {
                line.append(c);
            }
        }
        return line;
    }
}
