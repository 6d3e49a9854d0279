package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A layer below that drops bytes it had offered breaks the handler contract (what is left is
 * offered again, with more): the parser then fails at once instead of scanning forever.
 */
@Timeout(10)
class ShrunkInputTest {

    @Test
    void inputShorterThanTheHeadSeenSoFarFailsAtOnce() throws Exception {
        RequestParser parser = new RequestParser(HttpLimits.defaults());
        HttpRequest request = new HttpRequest();
        ByteBuffer partial = ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: slow\r\nX-Slow: sss".getBytes(StandardCharsets.US_ASCII));
        assertThat(parser.parseHead(partial, request)).as("a head not whole yet").isFalse();
        assertThat(partial.position()).as("nothing consumed").isZero();

        ByteBuffer shrunk = ByteBuffer.wrap("s".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> parser.parseHead(shrunk, request)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shrank");
    }
}
