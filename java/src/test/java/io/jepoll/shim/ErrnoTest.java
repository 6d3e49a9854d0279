package io.jepoll.shim;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ErrnoTest {

    @Test
    void everyConstantHasTheNumberTheLibraryGivesItsName() throws Exception {
        Field[] constants = Arrays.stream(Errno.class.getFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == int.class)
                .toArray(Field[]::new);
        assertThat(constants).hasSizeGreaterThan(10);
        for (Field constant : constants) {
            assertThat(Shim.errnoName(constant.getInt(null))).as(constant.getName()).isEqualTo(constant.getName());
        }
    }

    @Test
    void describesKnownAndUnknownNumbers() {
        assertThat(Errno.describe(Errno.ECONNREFUSED)).isEqualTo("ECONNREFUSED (Connection refused)");
        assertThat(Shim.errnoName(99999)).isNull();
        assertThat(Errno.describe(99999)).isEqualTo("errno 99999");
    }

    @Test
    void exceptionKeepsThePositiveErrno() {
        NativeIoException e = new NativeIoException("read(fd=3)", -Errno.ECONNRESET);
        assertThat(e.errno()).isEqualTo(Errno.ECONNRESET);
        assertThat(e).hasMessage("read(fd=3): ECONNRESET (Connection reset by peer)");
    }
}
