package io.jepoll.loop;

import io.jepoll.net.Cancellable;

/** A task {@link EventLoop#schedule scheduled} on a loop; cancel it from any thread. */
public final class ScheduledTask implements Cancellable, Comparable<ScheduledTask> {

    final long deadlineNanos;
    final long sequence;
    /**
     * Null once cancelled. A cancelled timer stays in its loop's queue until its deadline; what
     * its task refers to (a closed connection and its handler, say) need not stay with it.
     */
    private volatile Runnable task;

    ScheduledTask(Runnable task, long deadlineNanos, long sequence) {
        this.task = task;
        this.deadlineNanos = deadlineNanos;
        this.sequence = sequence;
    }

    @Override
    public void cancel() {
        task = null;
    }

    @Override
    public boolean isCancelled() {
        return task == null;
    }

    /** The task to run, or null when cancelled. */
    Runnable task() {
        return task;
    }

    @Override
    public int compareTo(ScheduledTask other) {
        int byDeadline = Long.compare(deadlineNanos - other.deadlineNanos, 0);
        return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
    }
}
