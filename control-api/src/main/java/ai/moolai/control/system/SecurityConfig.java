package ai.moolai.control.system;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
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
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Bearer tokens for the admin API: static tokens from configuration and, when an OIDC issuer (or a
 * key) is configured, JWTs whose {@code roles} claim says {@code admin} or {@code viewer}. Reading
 * ({@code GET}) needs either role, changing needs {@code admin}; 401 without a valid token, 403
 * for the wrong role, both as problem details. Browsers' {@code EventSource} cannot set headers,
 * so the event stream also takes {@code ?access_token=}. Without an admin credential (a static
 * admin token or a JWT issuer) nobody could administer it, so it does not start.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    @Bean
    SecurityFilterChain api(HttpSecurity http, ApiTokens tokens, ObjectProvider<JwtDecoder> jwtDecoder,
                            ApiSecurityProperties properties) throws Exception {
        JwtDecoder jwt = jwtDecoder.getIfAvailable();
        if (jwt == null && !tokens.admitsAnAdmin()) {
            throw CredentialsRefused.noAdminCredential();
        }
        AuthenticationManager manager = authenticationManager(tokens, jwt, properties);
        AuthenticationManagerResolver<HttpServletRequest> resolver = request -> manager;
        DefaultBearerTokenResolver bearer = new DefaultBearerTokenResolver();
        bearer.setAllowUriQueryParameter(true);
        // Not the management port: its gate is service-support's, and API tokens open nothing there.
        http.securityMatcher(new NegatedRequestMatcher(EndpointRequest.toAnyEndpoint()));
        http.csrf(csrf -> csrf.disable())
                .cors(Customizer.withDefaults())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(HttpMethod.OPTIONS, "/**").permitAll()
                        .requestMatchers(HttpMethod.GET, "/api/**").hasAnyRole(Role.VIEWER.name(), Role.ADMIN.name())
                        .requestMatchers("/api/**").hasRole(Role.ADMIN.name())
                        .anyRequest().permitAll())
                .oauth2ResourceServer(server -> server
                        .authenticationManagerResolver(resolver)
                        .bearerTokenResolver(request -> request.getRequestURI().equals("/api/v1/events")
                                ? bearer.resolve(request) : headerOnly(request))
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

    private static AuthenticationManager authenticationManager(ApiTokens tokens, JwtDecoder jwtDecoder,
                                                               ApiSecurityProperties properties) {
        JwtAuthenticationProvider jwt = jwtDecoder == null ? null : new JwtAuthenticationProvider(jwtDecoder);
        if (jwt != null) {
            JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
            converter.setJwtGrantedAuthoritiesConverter(token -> roles(token.getClaim(properties.jwtRolesClaim())));
            jwt.setJwtAuthenticationConverter(converter);
        }
        return authentication -> {
            String token = ((BearerTokenAuthenticationToken) authentication).getToken();
            var known = tokens.find(token);
            if (known.isPresent()) {
                return UsernamePasswordAuthenticationToken.authenticated(known.get().subject(), null,
                        List.of(known.get().role().authority()));
            }
            if (jwt != null) {
                return jwt.authenticate(authentication);
            }
            throw new InvalidBearerTokenException("unknown token");
        };
    }

    private static Collection<GrantedAuthority> roles(Object claim) {
        Collection<?> values = claim instanceof Collection<?> many ? many : claim == null ? List.of() : List.of(claim);
        return values.stream()
                .map(value -> {
                    try {
                        return (GrantedAuthority) Role.parse(value.toString()).authority();
                    } catch (IllegalArgumentException unknownRole) {
                        return null;
                    }
                })
                .filter(Objects::nonNull)
                .toList();
    }
}
