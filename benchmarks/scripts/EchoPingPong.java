import io.jepoll.echo.EchoHandler;
import io.jepoll.loop.Call;
import io.jepoll.loop.LoopStats;
import io.jepoll.loop.Transport;
import io.jepoll.net.TcpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Syscalls per echoed message, from the server loop's own counters: C blocking clients each
 * send a message and wait for its echo, N times, against an in-process echo server.
 *
 * <p>Run: {@code java -cp java/target/jepoll.jar benchmarks/scripts/EchoPingPong.java et 64 1250 64}
 * (transport, connections, round trips per connection, message bytes).
 */
public class EchoPingPong {
    public static void main(String[] args) throws Exception {
        Transport transport = Transport.parse(args[0]);
        int connections = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        int size = Integer.parseInt(args[3]);
        try (TcpServer server = TcpServer.builder().transport(transport).handler(EchoHandler::new).build().start()) {
            List<Socket> sockets = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                Socket s = new Socket("127.0.0.1", server.port());
                s.setTcpNoDelay(true);
                sockets.add(s);
            }
            Thread.sleep(200);
            LoopStats before = server.stats();
            List<Thread> threads = new ArrayList<>();
            for (Socket s : sockets) {
                Thread t = new Thread(() -> {
                    try {
                        byte[] msg = new byte[size];
                        OutputStream out = s.getOutputStream();
                        InputStream in = s.getInputStream();
                        for (int r = 0; r < rounds; r++) {
                            out.write(msg);
                            in.readNBytes(msg, 0, size);
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) t.join();
            LoopStats d = server.stats().minus(before);
            double messages = (double) connections * rounds;
            System.out.printf("%s connections=%d messages=%.0f size=%d: syscalls/msg %.3f (wait %.3f, read %.3f, write %.3f, writev %.3f, ctl %.3f, wakeup %.3f) events/msg %.3f%n",
                    transport.shortName(), connections, messages, size, d.syscalls() / messages,
                    d.calls(Call.WAIT) / messages, d.calls(Call.READ) / messages, d.calls(Call.WRITE) / messages,
                    d.calls(Call.WRITEV) / messages, d.calls(Call.CTL) / messages, d.calls(Call.WAKEUP_READ) / messages,
                    d.events() / messages);
            for (Socket s : sockets) s.close();
        }
    }
}
