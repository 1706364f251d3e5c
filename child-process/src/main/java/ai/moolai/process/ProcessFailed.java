package ai.moolai.process;

/** A child process died, did not become ready, or did not exit with 0 in time. */
public final class ProcessFailed extends IllegalStateException {

    private final String output;

    ProcessFailed(String message, String output) {
        super(message);
        this.output = output;
    }

    /** What the process wrote (for a named child, the tail of its log). */
    public String output() {
        return output;
    }
}
