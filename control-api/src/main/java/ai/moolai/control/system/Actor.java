package ai.moolai.control.system;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is calling, as the activity log records them.
 *
 * @param subject the token's subject
 * @param role    what they may do
 */
public record Actor(String subject, Role role) {

    /** The authenticated caller of the current request. */
    public static Actor current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()) {
            throw new IllegalStateException("no authenticated caller");
        }
        return of(authentication);
    }

    /** The caller an authentication stands for: an admin if any of its roles says so, a viewer otherwise. */
    static Actor of(Authentication authentication) {
        boolean admin = authentication.getAuthorities().stream()
                .anyMatch(authority -> authority.getAuthority().equals(Role.ADMIN.authority().getAuthority()));
        return new Actor(authentication.getName(), admin ? Role.ADMIN : Role.VIEWER);
    }
}
