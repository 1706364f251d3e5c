package ai.moolai.control.system;

/** The change contradicts the current state (409). */
public class Conflict extends RuntimeException {

    public Conflict(String why) {
        super(why);
    }
}
