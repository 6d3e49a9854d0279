package io.jepoll.loop;

/** A task {@link EventLoop#schedule scheduled} on a loop; cancel it from any thread. */
public final class ScheduledTask implements Comparable<ScheduledTask> {

    final Runnable task;
    final long deadlineNanos;
    final long sequence;
    private volatile boolean cancelled;

    ScheduledTask(Runnable task, long deadlineNanos, long sequence) {
        this.task = task;
        this.deadlineNanos = deadlineNanos;
        this.sequence = sequence;
    }

    /** The task will not run if it has not started yet. */
    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public int compareTo(ScheduledTask other) {
        int byDeadline = Long.compare(deadlineNanos - other.deadlineNanos, 0);
        return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
    }
}
