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
 *     the bind. A server's own loops share its port either way
 * @param keepAlive SO_KEEPALIVE on connections (default off)
 * @param receiveBufferSize SO_RCVBUF in bytes; 0 leaves the kernel's default (and autotuning)
 * @param sendBufferSize SO_SNDBUF in bytes; 0 leaves the kernel's default
 * @param backlog the listen backlog (default 1024; the kernel caps it at somaxconn)
 */
public record SocketOptions(boolean tcpNoDelay, boolean reuseAddress, boolean reusePort, boolean keepAlive,
        int receiveBufferSize, int sendBufferSize, int backlog) {

    /**
     * Checks the values.
     *
     * @param tcpNoDelay see {@link #tcpNoDelay()}
     * @param reuseAddress see {@link #reuseAddress()}
     * @param reusePort see {@link #reusePort()}
     * @param keepAlive see {@link #keepAlive()}
     * @param receiveBufferSize see {@link #receiveBufferSize()}
     * @param sendBufferSize see {@link #sendBufferSize()}
     * @param backlog see {@link #backlog()}
     * @throws IllegalArgumentException when a buffer size is negative or the backlog less than 1
     */
    public SocketOptions {
        if (receiveBufferSize < 0 || sendBufferSize < 0) {
            throw new IllegalArgumentException("buffer sizes must be >= 0 (0: the kernel's default)");
        }
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be >= 1: " + backlog);
        }
    }

    /** {@return every option at its default} */
    public static SocketOptions defaults() {
        return builder().build();
    }

    /** {@return a builder with every option at its default} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder starting from these options} */
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

        /**
         * TCP_NODELAY on accepted and connected sockets.
         *
         * @param on whether to send small writes at once (default true)
         * @return this builder
         */
        public Builder tcpNoDelay(boolean on) {
            this.tcpNoDelay = on;
            return this;
        }

        /**
         * SO_REUSEADDR on listeners.
         *
         * @param on whether a listener may bind a port whose old connections linger (default true)
         * @return this builder
         */
        public Builder reuseAddress(boolean on) {
            this.reuseAddress = on;
            return this;
        }

        /**
         * SO_REUSEPORT on listeners.
         *
         * @param on whether listeners share the port (default true; needed for more than one loop)
         * @return this builder
         */
        public Builder reusePort(boolean on) {
            this.reusePort = on;
            return this;
        }

        /**
         * SO_KEEPALIVE on connections.
         *
         * @param on whether the kernel probes idle connections (default false)
         * @return this builder
         */
        public Builder keepAlive(boolean on) {
            this.keepAlive = on;
            return this;
        }

        /**
         * SO_RCVBUF.
         *
         * @param bytes the receive buffer in bytes; 0 (default) keeps the kernel's default and autotuning
         * @return this builder
         */
        public Builder receiveBufferSize(int bytes) {
            this.receiveBufferSize = bytes;
            return this;
        }

        /**
         * SO_SNDBUF.
         *
         * @param bytes the send buffer in bytes; 0 (default) keeps the kernel's default
         * @return this builder
         */
        public Builder sendBufferSize(int bytes) {
            this.sendBufferSize = bytes;
            return this;
        }

        /**
         * The listen backlog.
         *
         * @param backlog connections the kernel queues before they are accepted (default 1024, capped at somaxconn)
         * @return this builder
         */
        public Builder backlog(int backlog) {
            this.backlog = backlog;
            return this;
        }

        /**
         * {@return the options}
         *
         * @throws IllegalArgumentException when a value is out of range
         */
        public SocketOptions build() {
            return new SocketOptions(tcpNoDelay, reuseAddress, reusePort, keepAlive, receiveBufferSize,
                    sendBufferSize, backlog);
        }
    }
}
