package ai.moolai.control.system;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Bearer tokens for the admin API: static tokens from configuration and, when an OIDC issuer (or a
 * key) is configured, JWTs for this application whose roles claim says {@code admin} or
 * {@code viewer} (see {@link AcceptedJwts}). Reading ({@code GET}) needs either role, changing
 * needs {@code admin}; 401 without a valid token, 403 for the wrong role, both as problem details. No token is accepted in a URL: browsers'
 * {@code EventSource} cannot set headers, so either role asks for an {@link EventTickets event
 * ticket} with its token and opens the event stream with that. Without an admin credential (a
 * static admin token or a JWT issuer) nobody could administer it, so it does not start.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    /** The original controller's health URLs (see {@link ControllerHealthController}). */
    private static final List<String> HEALTH = List.of("/health", "/api/v1/controller/health");

    @Bean
    SecurityFilterChain api(HttpSecurity http, ApiTokens tokens, ObjectProvider<JwtDecoder> jwtDecoder,
                            ApiSecurityProperties properties, OAuth2ResourceServerProperties resourceServer,
                            EventTickets eventTickets) throws Exception {
        JwtDecoder jwt = jwtDecoder.getIfAvailable();
        if (jwt == null && !tokens.admitsAnAdmin()) {
            throw CredentialsRefused.noAdminCredential();
        }
        AuthenticationManager manager = authenticationManager(tokens,
                jwt == null ? null : AcceptedJwts.provider(jwt, properties, resourceServer.getJwt()));
        AuthenticationManager ticketed = eventStreamManager(eventTickets);
        AuthenticationManagerResolver<HttpServletRequest> resolver = request -> isEventStream(request) ? ticketed : manager;
        // Not the management port: its gate is service-support's, and API tokens open nothing there.
        http.securityMatcher(new NegatedRequestMatcher(EndpointRequest.toAnyEndpoint()));
        http.csrf(csrf -> csrf.disable())
                .cors(Customizer.withDefaults())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(HttpMethod.OPTIONS, "/**").permitAll()
                        .requestMatchers(HttpMethod.GET, HEALTH.toArray(String[]::new)).permitAll()
                        .requestMatchers(HttpMethod.GET, "/api/**").hasAnyRole(Role.VIEWER.name(), Role.ADMIN.name())
                        .requestMatchers(HttpMethod.POST, "/api/v1/events/tickets").hasAnyRole(Role.VIEWER.name(), Role.ADMIN.name())
                        .requestMatchers("/api/**").hasRole(Role.ADMIN.name())
                        .anyRequest().permitAll())
                .oauth2ResourceServer(server -> server
                        .authenticationManagerResolver(resolver)
                        .bearerTokenResolver(request -> isEventStream(request) ? request.getParameter("ticket")
                                : isHealth(request) ? null : headerOnly(request))
                        .authenticationEntryPoint((request, response, denied) -> ProblemResponses.write(response,
                                HttpStatus.UNAUTHORIZED, "a valid bearer token is required"))
                        .accessDeniedHandler((request, response, denied) -> ProblemResponses.write(response,
                                HttpStatus.FORBIDDEN, "your role may not do this")))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, denied) -> ProblemResponses.write(response,
                                HttpStatus.UNAUTHORIZED, "a valid bearer token is required"))
                        .accessDeniedHandler((request, response, denied) -> ProblemResponses.write(response,
                                HttpStatus.FORBIDDEN, "your role may not do this")));
        return http.build();
    }

    @Bean
    CorsConfigurationSource corsConfigurationSource(ApiSecurityProperties properties) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(properties.allowedOrigins());
        cors.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
        cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Last-Event-ID"));
        cors.setMaxAge(3600L);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/api/**", cors);
        return source;
    }

    private static String headerOnly(HttpServletRequest request) {
        return new DefaultBearerTokenResolver().resolve(request);
    }

    /**
     * The original controller's health URL: open to anyone, and a token sent with it is not looked
     * at, so a probe that carries a stale one still gets its answer.
     */
    private static boolean isHealth(HttpServletRequest request) {
        return HttpMethod.GET.matches(request.getMethod()) && HEALTH.contains(request.getRequestURI());
    }

    /** {@code GET /api/v1/events}, opened with a ticket instead of a bearer token. */
    private static boolean isEventStream(HttpServletRequest request) {
        return HttpMethod.GET.matches(request.getMethod()) && request.getRequestURI().equals("/api/v1/events");
    }

    private static AuthenticationManager eventStreamManager(EventTickets tickets) {
        return authentication -> tickets.redeem(((BearerTokenAuthenticationToken) authentication).getToken())
                .map(credential -> UsernamePasswordAuthenticationToken.authenticated(credential, null,
                        List.of(credential.role().authority())))
                .orElseThrow(() -> new InvalidBearerTokenException("not a valid event ticket"));
    }

    private static AuthenticationManager authenticationManager(ApiTokens tokens, JwtAuthenticationProvider jwt) {
        return authentication -> {
            String token = ((BearerTokenAuthenticationToken) authentication).getToken();
            var known = tokens.find(token);
            if (known.isPresent()) {
                var authenticated = UsernamePasswordAuthenticationToken.authenticated(known.get().subject(), null,
                        List.of(known.get().role().authority()));
                authenticated.setDetails(Credential.of(known.get()));
                return authenticated;
            }
            if (jwt != null) {
                return jwt.authenticate(authentication);
            }
            throw new InvalidBearerTokenException("unknown token");
        };
    }
}
