package io.jepoll.shim;

/** The binding a test run asked for with -Djepoll.binding, as the JDK running it can give it. */
public final class Bindings {

    private Bindings() {
    }

    /** {@code ffm} when asked for on a JDK 22+ (where the suite runs from the multi-release jar), else {@code jna}. */
    public static String expected() {
        return asked().equals("ffm") && Runtime.version().feature() >= 22 ? "ffm" : "jna";
    }

    static String asked() {
        return System.getProperty(ShimLoader.BINDING_PROPERTY, "jna");
    }
}
