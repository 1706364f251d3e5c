package ai.moolai.control.system;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;

/**
 * Which JWTs the admin API accepts. Boot's decoder (from {@code spring.security.oauth2.resourceserver.jwt.*})
 * checks the signature, but the issuer only when it was given as {@code issuer-uri}, and the audience never; here
 * every JWT must also be unexpired, name the configured issuer, include the configured audience (otherwise a token
 * its issuer made for another application would work here) and name a subject for the activity log. Its roles
 * come from {@link ApiSecurityProperties#jwtRolesClaim()}.
 */
final class AcceptedJwts {

    private AcceptedJwts() {
    }

    /**
     * Authenticates the JWTs {@code signed} decodes that also pass the checks above.
     *
     * @throws CredentialsRefused when the audience or the issuer is not configured, or the issuer contradicts
     *                            {@code issuer-uri}
     */
    static JwtAuthenticationProvider provider(JwtDecoder signed, ApiSecurityProperties properties,
                                              OAuth2ResourceServerProperties.Jwt resourceServer) {
        OAuth2TokenValidator<Jwt> claims = claims(issuer(properties, resourceServer), audience(properties));
        JwtAuthenticationProvider provider = new JwtAuthenticationProvider(token -> checked(signed.decode(token), claims));
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(jwt -> roles(jwt.getClaim(properties.jwtRolesClaim())));
        provider.setJwtAuthenticationConverter(converter);
        return provider;
    }

    private static OAuth2TokenValidator<Jwt> claims(String issuer, String audience) {
        return new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(issuer),
                new JwtClaimValidator<List<String>>(JwtClaimNames.AUD, aud -> aud != null && aud.contains(audience)),
                new JwtClaimValidator<String>(JwtClaimNames.SUB, sub -> sub != null && !sub.isBlank()));
    }

    private static Jwt checked(Jwt jwt, OAuth2TokenValidator<Jwt> claims) {
        OAuth2TokenValidatorResult result = claims.validate(jwt);
        if (result.hasErrors()) {
            throw new JwtValidationException(result.getErrors().iterator().next().getDescription(), result.getErrors());
        }
        return jwt;
    }

    private static String issuer(ApiSecurityProperties properties, OAuth2ResourceServerProperties.Jwt resourceServer) {
        String issuerUri = resourceServer.getIssuerUri();
        if (!isSet(properties.jwtIssuer())) {
            if (!isSet(issuerUri)) {
                throw CredentialsRefused.noJwtIssuer();
            }
            return issuerUri;
        }
        if (isSet(issuerUri) && !issuerUri.equals(properties.jwtIssuer())) {
            throw CredentialsRefused.jwtIssuerContradicts(properties.jwtIssuer(), issuerUri);
        }
        return properties.jwtIssuer();
    }

    private static String audience(ApiSecurityProperties properties) {
        if (!isSet(properties.jwtAudience())) {
            throw CredentialsRefused.noJwtAudience();
        }
        return properties.jwtAudience();
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

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
