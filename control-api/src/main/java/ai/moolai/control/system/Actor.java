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
        boolean admin = authentication.getAuthorities().stream()
                .anyMatch(authority -> authority.getAuthority().equals(Role.ADMIN.authority().getAuthority()));
        return new Actor(authentication.getName(), admin ? Role.ADMIN : Role.VIEWER);
    }
}
