package io.jepoll.examples.items;

import io.jepoll.http.HttpRequest;
import io.jepoll.http.HttpResponse;
import io.jepoll.http.HttpServer;
import io.jepoll.loop.Transport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small HTTP service keeping named items in memory, answering JSON built by hand.
 *
 * <pre>
 * GET    /health        200 {"status":"up","transport":"et"}
 * GET    /items         200 {"items":[{"id":1,"name":"pen"}]}
 * GET    /items?id=1    200 {"id":1,"name":"pen"}   404 when there is no such item
 * POST   /items         201 {"id":2,"name":"ink"}   the body is the name (UTF-8 text); Location: /items?id=2
 * DELETE /items?id=1    204                         404 when there is no such item
 * </pre>
 *
 * A bad id or name gets 400 with {@code {"error":"..."}}; jepoll itself answers an unknown path
 * with 404, another method on a known path with 405, and a malformed request with 400.
 *
 * <p>jepoll's routes match whole paths, so the item's id travels in the query. Routes run on
 * the loop threads, several at once with several loops: the store is a concurrent map.
 */
public final class ItemService {

    /** Longest name accepted, in bytes. */
    public static final int MAX_NAME_BYTES = 200;

    private final ConcurrentNavigableMap<Long, String> items = new ConcurrentSkipListMap<>();
    private final AtomicLong lastId = new AtomicLong();
    private final Transport transport;

    private ItemService(Transport transport) {
        this.transport = transport;
    }

    /**
     * Starts an empty service on {@code port} of 127.0.0.1 (0: any free port).
     *
     * @throws IOException when the port cannot be bound
     * @throws IllegalStateException when {@code transport} cannot run here
     */
    public static HttpServer start(int port, Transport transport) throws IOException {
        ItemService service = new ItemService(transport);
        return HttpServer.builder()
                .port(port)
                .transport(transport)
                .route("GET", "/health", service::health)
                .route("GET", "/items", service::get)
                .route("POST", "/items", service::create)
                .route("DELETE", "/items", service::delete)
                .build()
                .start();
    }

    private HttpResponse health(HttpRequest request) {
        return json(200, "{\"status\":\"up\",\"transport\":" + quote(transport.shortName()) + "}");
    }

    private HttpResponse get(HttpRequest request) {
        if (request.query() == null) {
            StringJoiner list = new StringJoiner(",", "{\"items\":[", "]}");
            for (Map.Entry<Long, String> item : items.entrySet()) {
                list.add(item(item.getKey(), item.getValue()));
            }
            return json(200, list.toString());
        }
        long id;
        try {
            id = id(request);
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        }
        String name = items.get(id);
        return name == null ? error(404, "no item " + id) : json(200, item(id, name));
    }

    private HttpResponse create(HttpRequest request) {
        String name = request.bodyAsString();
        if (name.isEmpty()) {
            return error(400, "the body must be the item's name");
        }
        if (request.body().remaining() > MAX_NAME_BYTES) {
            return error(400, "a name has at most " + MAX_NAME_BYTES + " bytes");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            return error(400, "a name is one line of text");
        }
        long id = lastId.incrementAndGet();
        items.put(id, name);
        return json(201, item(id, name)).withHeader("Location", "/items?id=" + id);
    }

    private HttpResponse delete(HttpRequest request) {
        long id;
        try {
            id = id(request);
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        }
        return items.remove(id) != null ? HttpResponse.of(204, null, new byte[0]) : error(404, "no item " + id);
    }

    /** The id in a query of exactly {@code id=<digits>}. */
    private static long id(HttpRequest request) {
        String query = request.query();
        if (query == null || !query.matches("id=[0-9]{1,18}")) {
            throw new IllegalArgumentException("expected the query ?id=<number>, got " + query);
        }
        return Long.parseLong(query.substring(3));
    }

    private static String item(long id, String name) {
        return "{\"id\":" + id + ",\"name\":" + quote(name) + "}";
    }

    private static HttpResponse error(int status, String message) {
        return json(status, "{\"error\":" + quote(message) + "}");
    }

    private static HttpResponse json(int status, String body) {
        return HttpResponse.of(status, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON string: quotes, backslashes and control characters escaped. */
    static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    /** {@code ItemService <port> [et|lt|nio|blocking|best]}; serves until the JVM is stopped. */
    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: ItemService <port> [et|lt|nio|blocking|best]");
            System.exit(2);
        }
        int port;
        Transport transport;
        try {
            port = Integer.parseInt(args[0]);
            transport = args.length < 2 || args[1].equals("best") ? Transport.best() : Transport.parse(args[1]);
        } catch (IllegalArgumentException e) {
            System.err.println("usage: ItemService <port> [et|lt|nio|blocking|best]: " + e.getMessage());
            System.exit(2);
            return;
        }
        HttpServer server;
        try {
            server = start(port, transport);
        } catch (IOException | RuntimeException e) {
            System.err.println("cannot start the item service: " + e.getMessage());
            System.exit(1);
            return;
        }
        // The loop threads keep the JVM alive; Ctrl-C or SIGTERM closes the server gracefully.
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "items-shutdown"));
        System.out.println("item service listening on http://" + server.localAddress().getHostString() + ":"
                + server.port() + "/ (transport " + transport.shortName() + ")");
    }
}
