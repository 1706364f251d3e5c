package ai.moolai.control.system;

import static org.assertj.core.api.Assertions.assertThat;

import ai.moolai.control.TestIssuer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.SecurityFilterChain;

/**
 * control-api starts only with an admin credential of its own: a long static token or a JWT issuer; and it
 * accepts JWTs only when it knows their issuer and its own audience.
 */
class AdminCredentialsTest {

    private static final String STRONG = "0123456789abcdef0123456789abcdef";
    private static final String JWK_SET = "spring.security.oauth2.resourceserver.jwt.jwk-set-uri=http://127.0.0.1:9/jwks";
    private static final String ISSUER_URI = "spring.security.oauth2.resourceserver.jwt.issuer-uri=http://127.0.0.1:9/issuer";

    private final WebApplicationContextRunner security = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SecurityAutoConfiguration.class,
                    ServletWebSecurityAutoConfiguration.class, OAuth2ResourceServerAutoConfiguration.class))
            .withUserConfiguration(Properties.class, ApiTokens.class, EventTickets.class, SecurityConfig.class);

    @Test
    void refusesToStartWithoutAnAdminCredential() {
        security.run(context -> assertThat(failure(context)).isEqualTo(
                "No admin credential: set DEV_BEARER_TOKEN to a random string of at least 32 characters "
                        + "(e.g. `openssl rand -hex 32`), or configure a JWT issuer "
                        + "(spring.security.oauth2.resourceserver.jwt.issuer-uri) or JWK set "
                        + "(spring.security.oauth2.resourceserver.jwt.jwk-set-uri)."));
        security.withPropertyValues("controller.security.dev-bearer-token=", "controller.security.viewer-token=" + STRONG)
                .run(context -> assertThat(failure(context)).startsWith("No admin credential"));
    }

    @Test
    void refusesAnAdminTokenShorterThan32Characters() {
        security.withPropertyValues("controller.security.dev-bearer-token=" + STRONG.substring(1))
                .run(context -> assertThat(failure(context)).isEqualTo("DEV_BEARER_TOKEN is shorter than 32 characters: "
                        + "set it to a random string of at least 32 characters (e.g. `openssl rand -hex 32`)."));
    }

    @Test
    void refusesAShortViewerTokenEvenBesideAGoodAdminToken() {
        security.withPropertyValues("controller.security.dev-bearer-token=" + STRONG,
                        "controller.security.viewer-token=viewer")
                .run(context -> assertThat(failure(context)).startsWith("VIEWER_BEARER_TOKEN is shorter than 32 characters"));
    }

    @Test
    void startsWithAnAdminTokenOf32Characters() {
        security.withPropertyValues("controller.security.dev-bearer-token=" + STRONG)
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(SecurityFilterChain.class));
    }

    @Test
    void startsWithAJwkSetAndNoStaticToken() {
        security.withPropertyValues(JWK_SET, "controller.security.jwt-issuer=https://issuer.test",
                        "controller.security.jwt-audience=mooli-controller")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(SecurityFilterChain.class));
    }

    @Test
    void refusesJwtsWithoutAnAudience() {
        security.withPropertyValues(JWK_SET, "controller.security.jwt-issuer=https://issuer.test")
                .run(context -> assertThat(failure(context)).isEqualTo("JWTs are accepted "
                        + "(spring.security.oauth2.resourceserver.jwt.*) but no audience is set: set "
                        + "controller.security.jwt-audience to the audience (`aud`) your issuer gives control-api's "
                        + "tokens, so that tokens it issues for other applications are refused."));
        security.withPropertyValues(ISSUER_URI, "controller.security.dev-bearer-token=" + STRONG)
                .run(context -> assertThat(failure(context)).startsWith("JWTs are accepted"));
    }

    @Test
    void refusesAJwkSetOrPublicKeyWithoutAnIssuer() {
        security.withPropertyValues(JWK_SET, "controller.security.jwt-audience=mooli-controller")
                .run(context -> assertThat(failure(context)).isEqualTo("JWTs are accepted by a JWK set or public key "
                        + "but no issuer is set: set controller.security.jwt-issuer to the issuer (`iss`) of the "
                        + "tokens control-api should accept."));
        security.withPropertyValues("spring.security.oauth2.resourceserver.jwt.public-key-location="
                        + TestIssuer.PUBLIC_KEY_LOCATION, "controller.security.jwt-audience=mooli-controller")
                .run(context -> assertThat(failure(context)).startsWith("JWTs are accepted by a JWK set or public key"));
    }

    @Test
    void takesTheIssuerFromTheIssuerUriAndRefusesAnotherOne() {
        security.withPropertyValues(ISSUER_URI, "controller.security.jwt-audience=mooli-controller")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(SecurityFilterChain.class));
        security.withPropertyValues(ISSUER_URI, "controller.security.jwt-audience=mooli-controller",
                        "controller.security.jwt-issuer=https://another-issuer.test")
                .run(context -> assertThat(failure(context)).startsWith(
                        "controller.security.jwt-issuer (https://another-issuer.test) is not "
                                + "spring.security.oauth2.resourceserver.jwt.issuer-uri (http://127.0.0.1:9/issuer)"));
    }

    @Test
    void reportsTheRefusalAsWhatToSetRatherThanAStackTrace() {
        FailureAnalysis analysis = new CredentialsRefusedAnalyzer()
                .analyze(new BeanCreationException("api", CredentialsRefused.noAdminCredential()));
        assertThat(analysis.getDescription()).startsWith("No admin credential: set DEV_BEARER_TOKEN");
        assertThat(analysis.getAction()).isNotBlank();
    }

    private static String failure(AssertableWebApplicationContext context) {
        assertThat(context).hasFailed();
        Throwable cause = context.getStartupFailure();
        while (!(cause instanceof CredentialsRefused) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertThat(cause).isInstanceOf(CredentialsRefused.class);
        return cause.getMessage();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({ApiSecurityProperties.class, EventStreamProperties.class})
    static class Properties {
    }
}
