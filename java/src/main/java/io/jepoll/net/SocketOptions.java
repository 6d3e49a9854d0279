package io.jepoll.net;

/**
 * Socket options for a server's listeners and the connections they accept (or for outbound
 * connections). Immutable; start from {@link #defaults()} or {@link #builder()}.
 *
 * @param tcpNoDelay TCP_NODELAY on accepted and connected sockets (default on: request-response
 *     protocols should not wait for Nagle)
 * @param reuseAddress SO_REUSEADDR on listeners (default on)
 * @param reusePort SO_REUSEPORT on listeners (default off): on, several servers (processes) may
 *     listen on one port and the kernel spreads connections over them; off, a port in use fails
 *     the bind. A server's own loops share its listener either way
 * @param keepAlive SO_KEEPALIVE on connections (default off)
 * @param receiveBufferSize SO_RCVBUF in bytes; 0 leaves the kernel's default (and autotuning)
 * @param sendBufferSize SO_SNDBUF in bytes; 0 leaves the kernel's default
 * @param backlog the listen backlog (default 1024; the kernel caps it at somaxconn)
 */
public record SocketOptions(boolean tcpNoDelay, boolean reuseAddress, boolean reusePort, boolean keepAlive,
        int receiveBufferSize, int sendBufferSize, int backlog) {

    public SocketOptions {
        if (receiveBufferSize < 0 || sendBufferSize < 0) {
            throw new IllegalArgumentException("buffer sizes must be >= 0 (0: the kernel's default)");
        }
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be >= 1: " + backlog);
        }
    }

    public static SocketOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder().tcpNoDelay(tcpNoDelay).reuseAddress(reuseAddress).reusePort(reusePort)
                .keepAlive(keepAlive).receiveBufferSize(receiveBufferSize).sendBufferSize(sendBufferSize)
                .backlog(backlog);
    }

    /** Builds {@link SocketOptions}; every option starts at its default. */
    public static final class Builder {
        private boolean tcpNoDelay = true;
        private boolean reuseAddress = true;
        private boolean reusePort;
        private boolean keepAlive;
        private int receiveBufferSize;
        private int sendBufferSize;
        private int backlog = 1024;

        private Builder() {
        }

        public Builder tcpNoDelay(boolean on) {
            this.tcpNoDelay = on;
            return this;
        }

        public Builder reuseAddress(boolean on) {
            this.reuseAddress = on;
            return this;
        }

        public Builder reusePort(boolean on) {
            this.reusePort = on;
            return this;
        }

        public Builder keepAlive(boolean on) {
            this.keepAlive = on;
            return this;
        }

        public Builder receiveBufferSize(int bytes) {
            this.receiveBufferSize = bytes;
            return this;
        }

        public Builder sendBufferSize(int bytes) {
            this.sendBufferSize = bytes;
            return this;
        }

        public Builder backlog(int backlog) {
            this.backlog = backlog;
            return this;
        }

        public SocketOptions build() {
            return new SocketOptions(tcpNoDelay, reuseAddress, reusePort, keepAlive, receiveBufferSize,
                    sendBufferSize, backlog);
        }
    }
}
