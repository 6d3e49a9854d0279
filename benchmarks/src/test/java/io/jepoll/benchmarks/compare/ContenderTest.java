package io.jepoll.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContenderTest {

    @Test
    void theLabelNamesTheServerItsJdkAndItsBinding() {
        Jdk jdk25 = new Jdk(25, Path.of("/jdk25/bin/java"));

        assertThat(new Contender(Server.JEPOLL_ET, Optional.of(jdk25), Optional.of("ffm")).label())
                .isEqualTo("jepoll-et@25/ffm");
        assertThat(new Contender(Server.NETTY, Optional.of(jdk25), Optional.empty()).label()).isEqualTo("netty@25");
        assertThat(Contender.of(Server.ECHO_FLOOR).label()).isEqualTo("echo-floor");
        assertThat(Contender.of(Server.NGINX).jdkLabel()).isEmpty();
        assertThat(jdk25.hasFfm()).isTrue();
        assertThat(new Jdk(21, Path.of("/jdk21/bin/java")).hasFfm()).isFalse();
    }
}
