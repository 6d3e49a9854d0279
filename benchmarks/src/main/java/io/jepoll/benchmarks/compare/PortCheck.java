package io.jepoll.benchmarks.compare;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Whether something listens on a loopback port, which a run's server must have to itself. */
final class PortCheck {

    private PortCheck() {
    }

    /**
     * Binds the port to find out. SO_REUSEADDR, as the servers set it: a connection of an earlier
     * run left in TIME_WAIT does not make the port busy; a listener does.
     */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
