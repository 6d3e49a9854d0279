package io.jepoll.benchmarks.compare;

import java.util.ArrayList;
import java.util.List;

/** soak.sh's options, with its defaults; {@code --help} is the wrapper's. */
record SoakOptions(int minutes, String transport, int port) {

    static SoakOptions parse(List<String> arguments) throws UsageException {
        String minutes = "10";
        String transport = "et";
        String port = "18180";
        List<String> args = new ArrayList<>(arguments);
        while (!args.isEmpty()) {
            String arg = args.remove(0);
            if (!List.of("--minutes", "--transport", "--port").contains(arg)) {
                throw new UsageException("unknown argument: " + arg + " (see --help)");
            }
            if (args.isEmpty()) {
                throw new UsageException(arg + " needs a value");
            }
            String value = args.remove(0);
            switch (arg) {
                case "--minutes" -> minutes = value;
                case "--transport" -> transport = value;
                default -> port = value;
            }
        }
        if (!minutes.matches("[0-9]{1,6}") || Integer.parseInt(minutes) < 1) {
            throw new UsageException("--minutes must be >= 1");
        }
        if (!List.of("et", "lt", "nio", "blocking").contains(transport)) {
            throw new UsageException("--transport must be et, lt, nio or blocking: " + transport);
        }
        // The echo server listens on the port after it.
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1024 || Integer.parseInt(port) > 65534) {
            throw new UsageException("--port must be 1024..65534: " + port);
        }
        return new SoakOptions(Integer.parseInt(minutes), transport, Integer.parseInt(port));
    }

    int seconds() {
        return minutes * 60;
    }
}
