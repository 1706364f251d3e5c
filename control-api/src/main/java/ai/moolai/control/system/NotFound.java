package ai.moolai.control.system;

/** The addressed resource does not exist (404). */
public class NotFound extends RuntimeException {

    public NotFound(String what) {
        super(what + " not found");
    }
}
