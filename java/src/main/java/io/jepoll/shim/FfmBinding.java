package io.jepoll.shim;

import java.nio.file.Path;

/**
 * Stands in for the FFM binding on JDK 17-21, and where the jar was built without it: the
 * binding itself is a multi-release class ({@code META-INF/versions/22}), compiled by a JDK 22+.
 */
final class FfmBinding {

    private FfmBinding() {
    }

    /** Always throws {@link UnsupportedOperationException} saying why there is no FFM binding here. */
    static NativeBinding load(Path library) {
        int feature = Runtime.version().feature();
        throw new UnsupportedOperationException(feature < 22
                ? "the FFM binding needs JDK 22 or later, this is JDK " + feature
                : "this jepoll has no FFM binding: it runs from classes, not its multi-release jar, or was built"
                        + " without a JDK 22+");
    }
}
