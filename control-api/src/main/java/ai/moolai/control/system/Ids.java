package ai.moolai.control.system;

import java.util.Locale;

/** The shape of organization and orchestrator ids (the database checks the same), and ids made from names. */
public final class Ids {

    public static final String PATTERN = ai.moolai.protocol.Ids.PATTERN;

    private Ids() {
    }

    /** An id made from a display name: {@code "Acme Corp."} becomes {@code acme-corp}. */
    public static String slug(String name) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        if (slug.isEmpty()) {
            throw new IllegalArgumentException("cannot make an id from '" + name + "'; give one");
        }
        return slug.length() > 64 ? slug.substring(0, 64) : slug;
    }
}
