package ai.moolai.protocol;

import java.util.regex.Pattern;

/** The shape of organization and orchestrator ids, as the database checks it. */
public final class Ids {

    public static final String PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$";

    private static final Pattern COMPILED = Pattern.compile(PATTERN);

    private Ids() {
    }

    /** Whether this could be an organization's or an orchestrator's id. */
    public static boolean isValid(String id) {
        return id != null && COMPILED.matcher(id).matches();
    }
}
