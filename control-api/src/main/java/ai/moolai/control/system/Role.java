package ai.moolai.control.system;

import java.util.Locale;

import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** What a caller of the admin API may do. */
public enum Role {
    /** Read everything, change nothing. */
    VIEWER,
    /** Read and change. */
    ADMIN;

    public SimpleGrantedAuthority authority() {
        return new SimpleGrantedAuthority("ROLE_" + name());
    }

    public static Role parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
}
