package io.jepoll.shim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * The suite runs once per binding (JNA on the build's JDK; JNA and FFM on a JDK 22+): each run
 * checks that its calls really go through the binding it asked for, so that a silent fallback
 * cannot pass for a run on FFM.
 */
class BindingTest {

    @Test
    void theCallsGoThroughTheBindingThisRunAskedFor() {
        assumeTrue(Shim.isAvailable(), "libjepoll not loaded here");

        assertThat(Shim.binding()).isEqualTo(Bindings.expected());
        if (Bindings.asked().equals(Bindings.expected())) {
            assertThat(Shim.bindingFallback()).isEmpty();
        } else {
            assertThat(Shim.bindingFallback()).hasValue("-Djepoll.binding=ffm not used, JNA instead:"
                    + " the FFM binding needs JDK 22 or later, this is JDK " + Runtime.version().feature());
        }
    }

    @Test
    void stringsComeBackThroughEitherBindingAndUnknownNumbersAsNull() {
        assumeTrue(Shim.isAvailable(), "libjepoll not loaded here");

        assertThat(Shim.errnoName(Errno.ECONNRESET)).isEqualTo("ECONNRESET");
        assertThat(Shim.errnoText(Errno.ECONNRESET)).isEqualTo("Connection reset by peer");
        assertThat(Errno.describe(Errno.EAGAIN)).isEqualTo("EAGAIN (Resource temporarily unavailable)");
        assertThat(Shim.errnoName(100_000)).isNull();
        assertThat(Shim.errnoText(-1)).isNull();
        assertThat(Errno.describe(100_000)).isEqualTo("errno 100000");
    }
}
