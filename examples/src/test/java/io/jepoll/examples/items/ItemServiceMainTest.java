package io.jepoll.examples.items;

import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.examples.ExampleProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code ItemService.main} as a user runs it: its own JVM, a port on the command line, SIGTERM to stop. */
@Timeout(60)
class ItemServiceMainTest {

    @Test
    void servesOnThePortItIsGivenUntilStopped() throws Exception {
        try (ExampleProcess program = ExampleProcess.start(ItemService.class, "0", "nio")) {
            String banner = program.firstLine();
            assertThat(banner).startsWith("item service listening on http://127.0.0.1:").endsWith("(transport nio)");
            HttpRequest health = HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + ExampleProcess.portIn(banner) + "/health"))
                    .timeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> response = HttpClient.newHttpClient().send(health, HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("{\"status\":\"up\",\"transport\":\"nio\"}");
            assertThat(program.stop()).as("ended within 10 s of SIGTERM").isTrue();
            // On JDK 24+ a JVM without --enable-native-access warns here when JNA loads the library.
            assertThat(program.errors()).isEmpty();
        }
    }
}
