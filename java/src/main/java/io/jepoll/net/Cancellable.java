package io.jepoll.net;

/** Something scheduled ({@link Connection#schedule}); cancel it from any thread. */
public interface Cancellable {

    /** It will not run if it has not started yet. */
    void cancel();

    /** {@return whether {@link #cancel} was called} */
    boolean isCancelled();
}
