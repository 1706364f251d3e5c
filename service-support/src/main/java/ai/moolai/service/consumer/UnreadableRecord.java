package ai.moolai.service.consumer;

/** A record that breaks the contract of its topic: not its JSON, or failing its checks. It goes to the dead-letter topic. */
public final class UnreadableRecord extends RuntimeException {

    public UnreadableRecord(String reason) {
        super(reason, null, false, false);
    }

    public UnreadableRecord(String reason, Throwable cause) {
        super(reason, cause, false, false);
    }
}
