package ai.moolai.control.system;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Who is calling, as the activity log records them.
 *
 * @param subject {@code token:<name>} for a static token ({@code token:dev} for {@code DEV_BEARER_TOKEN}),
 *                {@code jwt:<sub>} for a JWT, so that a JWT's subject is never taken for a static token's
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
        return new Actor(subject(authentication), admin ? Role.ADMIN : Role.VIEWER);
    }

    private static String subject(Authentication authentication) {
        if (authentication instanceof JwtAuthenticationToken) {
            return "jwt:" + authentication.getName();
        }
        if (authentication instanceof UsernamePasswordAuthenticationToken) {
            return "token:" + authentication.getName();
        }
        throw new IllegalStateException("an unknown kind of credential: " + authentication.getClass().getName());
    }
}
