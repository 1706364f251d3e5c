package ai.moolai.liveness.runtime;

import java.time.Clock;
import java.util.concurrent.atomic.LongAdder;

import ai.moolai.liveness.topology.LivenessListener;
import ai.moolai.service.consumer.ConsumerProgress;

/**
 * The Streams client's progress, told to its {@link ConsumerProgress} (consumer
 * {@value LivenessStreams#CONSUMER}) in batches: the stream thread only counts the records it
 * processes, and {@link #report} passes the count on every half second, off the stream thread, so
 * that a stuck thread cannot hide it.
 *
 * <p>The client has work while a record is in process or its consumer's lag on an input is above
 * zero; it makes progress when it finishes records. Its
 * {@code mooli.consumer.oldest_unprocessed_age{consumer="liveness-stream"}} is therefore an
 * estimate: zero when nothing waits; while a record is in process, that record's age (from its
 * record time); while records wait in the topics, the age of the latest record processed (Streams
 * takes each task's records in timestamp order, so the next one waiting is about as old or newer),
 * but no more than the time since a report last found nothing waiting, so records arriving after a
 * quiet hour are not taken for an hour old. Without progress it grows with the wall clock, and
 * after {@code consumers.stall-after} (30 s) the {@code consumers} health is OUT_OF_SERVICE. The
 * record in process is tracked for one stream thread, as the application runs; with several, it is
 * whichever thread wrote last.
 */
final class StreamProgress implements LivenessListener {

    private static final long NONE = -1;

    private final ConsumerProgress progress;
    private final Clock clock;
    private final LongAdder processed = new LongAdder();
    private volatile long inProcess = NONE;
    private volatile long latestProcessed = NONE;
    /** Only {@link #report}'s thread reads and writes these two. */
    private long reported;
    private long lastIdle;

    StreamProgress(ConsumerProgress progress, Clock clock) {
        this.progress = progress;
        this.clock = clock;
        this.lastIdle = clock.millis();
    }

    @Override
    public void processing(long recordTimestamp) {
        inProcess = recordTimestamp;
    }

    @Override
    public void processed() {
        latestProcessed = inProcess;
        inProcess = NONE;
        processed.increment();
    }

    /**
     * Passes on what was done since the last report, and whether work waits.
     *
     * @param recordsWaiting whether the consumer's lag on an input is known and above zero
     */
    void report(boolean recordsWaiting) {
        long done = processed.sum();
        if (done > reported) {
            progress.finished((int) Math.min(Integer.MAX_VALUE, done - reported));
            reported = done;
        }
        long current = inProcess;
        if (current != NONE) {
            progress.started(current);
        } else if (recordsWaiting) {
            progress.started(Math.max(latestProcessed, lastIdle));
        } else {
            lastIdle = clock.millis();
        }
    }
}
