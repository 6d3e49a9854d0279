package io.jepoll.benchmarks.reference;

import io.jepoll.cli.DurationConverter;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A running Netty reference server, and the command line {@link NettyHttpServer} and
 * {@link NettyEchoServer} share.
 *
 * <p>The setup is the one a load run compares jepoll's single loop with, so each choice is
 * there to keep that comparison about the loop and the protocol code:
 * <ul>
 *   <li><b>One event-loop thread accepts and serves every connection</b>, like one jepoll loop:
 *       a comparison of one loop with one loop measures per-core efficiency, not how many
 *       cores each side was given. Netty's epoll transport is edge-triggered, like jepoll's
 *       default.</li>
 *   <li><b>Pooled direct buffers</b>, asked for explicitly (Netty 4.2's default is the
 *       adaptive allocator): the steady state allocates nothing and every socket read and
 *       write goes to native memory without a copy, as jepoll's pooled native buffers do.</li>
 *   <li><b>TCP_NODELAY</b> on, as jepoll sets it, so no answer waits for Nagle;
 *       <b>SO_REUSEADDR</b> on and a backlog of 1024, jepoll's defaults, so runs can restart
 *       at once on the same port and a burst of connects is not refused.</li>
 * </ul>
 */
public final class ReferenceServer implements AutoCloseable {

    /** Prefers direct buffers whatever the platform would choose, so reads and writes never copy. */
    static final ByteBufAllocator ALLOCATOR = new PooledByteBufAllocator(true);

    private final EventLoopGroup group;
    private final Channel listener;

    private ReferenceServer(EventLoopGroup group, Channel listener) {
        this.group = group;
        this.listener = listener;
    }

    /**
     * Listens on {@code host:port} (port 0 for any free one) on a new one-thread epoll group and
     * sets up every accepted connection's pipeline with {@code pipeline}, on the loop thread.
     *
     * @throws UnsatisfiedLinkError when Netty's epoll transport is not available here
     */
    static ReferenceServer start(String host, int port, Consumer<ChannelPipeline> pipeline) throws IOException {
        Epoll.ensureAvailability();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        ChannelFuture bound = new ServerBootstrap()
                .group(group) // one group for both roles: the same thread accepts and serves
                .channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, ALLOCATOR)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        pipeline.accept(channel.pipeline());
                    }
                })
                .bind(host, port)
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IOException("cannot listen on " + host + ":" + port + ": " + bound.cause().getMessage(),
                    bound.cause());
        }
        return new ReferenceServer(group, bound.channel());
    }

    /** The port the server listens on, the chosen one when it was started on port 0. */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /**
     * Closes the listener and every connection, then ends the loop thread. No quiet period:
     * the load run is over when a server is stopped, so waiting for stragglers only delays the
     * next run; one second bounds how long queued tasks may take.
     */
    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** How a reference server starts; {@code NettyHttpServer::start}, for example. */
    @FunctionalInterface
    interface Starter {
        ReferenceServer start(String host, int port) throws IOException;
    }

    /**
     * Runs the command line of the server {@code name}: the exit status is 0 when it stopped
     * after {@code --max-time} or on SIGTERM/SIGINT, 1 when it could not listen, 2 for a usage
     * error or when Netty's epoll transport is not available.
     */
    static int main(String name, String description, Starter starter, String... args) {
        CommandLine commandLine = new CommandLine(new Cli(name, starter)).setCommandName(name);
        commandLine.getCommandSpec().usageMessage().description(description);
        return commandLine.execute(args);
    }

    @Command
    private static final class Cli implements Callable<Integer> {

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        private boolean help;

        @Option(names = "--port", required = true, description = "TCP port to listen on (0: any free port).")
        private int port;

        @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
        private String host;

        @Option(names = "--max-time", converter = DurationConverter.class, paramLabel = "<duration>",
                description = "Stop by itself after this long (e.g. 500ms, 30s, 2m); default: run until SIGTERM or SIGINT.")
        private Duration maxTime;

        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        private final String name;
        private final Starter starter;

        Cli(String name, Starter starter) {
            this.name = name;
            this.starter = starter;
        }

        @Override
        public Integer call() throws InterruptedException {
            if (maxTime != null && maxTime.isNegative()) {
                // The shared converter reads "-1s"; a server that stops before it starts is a usage error.
                throw new CommandLine.ParameterException(spec.commandLine(), "--max-time must be >= 0: " + maxTime);
            }
            if (!Epoll.isAvailable()) {
                System.err.println(name + ": Netty's epoll transport is not available: " + Epoll.unavailabilityCause());
                return 2;
            }
            ReferenceServer server;
            try {
                server = starter.start(host, port);
            } catch (IOException e) {
                System.err.println(name + ": " + e.getMessage());
                return 1;
            }
            // The JVM reports a signal as status 128+signal; a load run stops its servers with
            // SIGTERM and wants 0 for a clean stop. So the hook closes the server and halts with 0.
            // It runs on System.exit too, so the --max-time path below ends the same way.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                Runtime.getRuntime().halt(0);
            }, name + "-shutdown"));
            System.out.println("listening on " + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port());
            System.out.flush();
            if (maxTime == null) {
                server.listener.closeFuture().await();
            } else {
                server.listener.closeFuture().await(maxTime.toMillis());
            }
            return 0;
        }
    }
}
