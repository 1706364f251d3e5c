package ai.moolai.control.system;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;

import ai.moolai.control.ControlApiTest;
import ai.moolai.control.TestIssuer;
import ai.moolai.testsupport.ApiClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every endpoint control-api maps, taken from its own request mappings, called by every kind of caller: no token, a
 * viewer, an admin, an admin's JWT, an admin's JWT for another audience and an expired one. An endpoint under
 * {@code /api/**} without a rule in {@link #RULES}, or one outside it that is not deliberately {@link #OPEN}, fails
 * the build. Path variables are {@code 0} and bodies {@code {}}, which name nothing that exists: an admin's call
 * changes nothing, and for it only "neither 401 nor 403" is asserted.
 */
@ControlApiTest
class AuthorizationMatrixTest {

    /** Who may call each endpoint: reading takes a viewer (or an admin), changing takes an admin. */
    private static final Map<String, Role> RULES = Map.ofEntries(
            entry("GET /api/v1/controller/me", Role.VIEWER),
            entry("GET /api/v1/controller/activity", Role.VIEWER),
            entry("POST /api/v1/events/tickets", Role.VIEWER),
            entry("GET /api/v1/controller/organizations", Role.VIEWER),
            entry("POST /api/v1/controller/organizations", Role.ADMIN),
            entry("GET /api/v1/controller/organizations/{id}", Role.VIEWER),
            entry("PUT /api/v1/controller/organizations/{id}", Role.ADMIN),
            entry("DELETE /api/v1/controller/organizations/{id}", Role.ADMIN),
            entry("GET /api/v1/controller/orchestrator-instances", Role.VIEWER),
            entry("POST /api/v1/controller/orchestrator-instances", Role.ADMIN),
            entry("GET /api/v1/controller/orchestrator-instances/{id}", Role.VIEWER),
            entry("PUT /api/v1/controller/orchestrator-instances/{id}", Role.ADMIN),
            entry("DELETE /api/v1/controller/orchestrator-instances/{id}", Role.ADMIN),
            entry("POST /api/v1/controller/orchestrator-instances/{id}/credentials", Role.ADMIN),
            entry("PUT /api/v1/controller/orchestrator-instances/{id}/tokenless", Role.ADMIN),
            entry("GET /api/v1/controller/orchestrator-instances/{id}/transitions", Role.VIEWER),
            entry("GET /api/v1/controller/orchestrator-instances/{id}/windows", Role.VIEWER),
            entry("GET /api/v1/controller/orchestrator-instances/{id}/reports", Role.VIEWER),
            entry("GET /api/v1/controller/orchestrator-instances/{id}/recommendations", Role.VIEWER),
            entry("GET /api/v1/controller/orchestrators/live", Role.VIEWER),
            entry("GET /api/v1/controller/orchestrators/summary", Role.VIEWER),
            entry("GET /api/v1/controller/pipeline", Role.VIEWER),
            entry("GET /api/v1/controller/enrolments", Role.VIEWER),
            entry("GET /api/v1/controller/organizations/{id}/enrolment-tokens", Role.VIEWER),
            entry("POST /api/v1/controller/organizations/{id}/enrolment-tokens", Role.ADMIN),
            entry("DELETE /api/v1/controller/organizations/{id}/enrolment-tokens/{tokenId}", Role.ADMIN),
            entry("POST /api/v1/controller/enrolments/{id}/approve", Role.ADMIN),
            entry("POST /api/v1/controller/enrolments/{id}/reject", Role.ADMIN),
            entry("GET /api/v1/internal/orchestrators/{id}/independence", Role.VIEWER),
            entry("PUT /api/v1/internal/orchestrators/{id}/independence", Role.ADMIN),
            entry("GET /api/v1/controller/reports", Role.VIEWER),
            entry("GET /api/v1/controller/recommendations", Role.VIEWER),
            entry("GET /api/v1/controller/recommendations/{id}", Role.VIEWER),
            entry("POST /api/v1/controller/recommendations/{id}/decision", Role.ADMIN));

    /**
     * Opened with an event ticket only ({@code ?ticket=}), never with a bearer token: every caller of the
     * matrix is refused, and a ticket a viewer asked for opens it.
     */
    private static final Set<String> TICKET_ONLY = Set.of("GET /api/v1/events");

    /**
     * Open to anyone, with or without a token, on purpose: the original controller's health URL, which
     * says only healthy or degraded and whether the database is connected. Every caller is admitted.
     */
    private static final Set<String> PUBLIC = Set.of("GET /health", "GET /api/v1/controller/health");

    /** Mapped outside {@code /api/**} and open to anyone on purpose: the OpenAPI document, Swagger UI, Boot's error page. */
    private static final Set<String> OPEN = Set.of("/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/swagger-config",
            "/swagger-ui.html", "/error");

    /** The dashboard's {@code index.html} for its own routes, open to anyone: its patterns keep out {@code /api}. */
    private static final Class<?> DASHBOARD = DashboardController.class;

    @LocalServerPort
    private int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    private ApiClient api;

    @DynamicPropertySource
    static void issuer(DynamicPropertyRegistry registry) {
        TestIssuer.register(registry);
    }

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    @Test
    void everyMappedEndpointHasARuleOrIsDeliberatelyOpen() {
        Set<String> withoutRule = new TreeSet<>();
        mappings.getHandlerMethods().forEach((info, handler) -> endpoints(info).stream()
                .filter(endpoint -> !RULES.containsKey(endpoint) && !isOpen(endpoint, handler))
                .forEach(withoutRule::add));
        withoutRule.removeAll(TICKET_ONLY);
        withoutRule.removeAll(PUBLIC);
        assertThat(withoutRule).as("endpoints without a rule in AuthorizationMatrixTest.RULES").isEmpty();
    }

    @Test
    void everyRuleNamesAMappedEndpoint() {
        Set<String> mapped = new TreeSet<>();
        mappings.getHandlerMethods().keySet().forEach(info -> mapped.addAll(endpoints(info)));
        assertThat(mapped).as("every rule names a mapped endpoint").containsAll(RULES.keySet()).containsAll(TICKET_ONLY)
                .containsAll(PUBLIC);
    }

    @Test
    void everyApiEndpointAdmitsExactlyItsRoles() {
        String adminJwt = TestIssuer.sign(TestIssuer.claims("matrix", "admin"));
        String foreignAudience = TestIssuer.sign(TestIssuer.claims("matrix", "admin").audience("another-application"));
        String expired = TestIssuer.sign(TestIssuer.claims("matrix", "admin")
                .expirationTime(Date.from(Instant.now().minus(Duration.ofMinutes(5)))));
        IntPredicate unauthenticated = status -> status == 401;
        IntPredicate forbidden = status -> status == 403;
        IntPredicate admitted = status -> status != 401 && status != 403;

        List<String> wrong = new ArrayList<>();
        RULES.forEach((endpoint, role) -> {
            String method = endpoint.substring(0, endpoint.indexOf(' '));
            String path = endpoint.substring(endpoint.indexOf(' ') + 1).replaceAll("\\{[^}]*}", "0");
            String body = method.equals("GET") || method.equals("DELETE") ? null : "{}";
            Map<String, Caller> callers = Map.of(
                    "no token", new Caller(null, unauthenticated),
                    "a viewer", new Caller(ApiClient.VIEWER, role == Role.VIEWER ? admitted : forbidden),
                    "an admin", new Caller(ApiClient.ADMIN, admitted),
                    "an admin's JWT", new Caller(adminJwt, admitted),
                    "a JWT for another audience", new Caller(foreignAudience, unauthenticated),
                    "an expired JWT", new Caller(expired, unauthenticated));
            callers.forEach((who, caller) -> {
                int status = api.status(method, path, caller.token(), body);
                if (!caller.expected().test(status)) {
                    wrong.add(endpoint + " by " + who + ": " + status);
                }
            });
        });
        PUBLIC.forEach(endpoint -> {
            String path = endpoint.substring(endpoint.indexOf(' ') + 1);
            for (String token : Arrays.asList(null, ApiClient.VIEWER, ApiClient.ADMIN, adminJwt, foreignAudience, expired)) {
                int status = api.status("GET", path, token, null);
                if (!admitted.test(status)) {
                    wrong.add(endpoint + " for anyone: " + status);
                }
            }
        });
        TICKET_ONLY.forEach(endpoint -> {
            String path = endpoint.substring(endpoint.indexOf(' ') + 1);
            for (String token : List.of(ApiClient.VIEWER, ApiClient.ADMIN, adminJwt, foreignAudience, expired)) {
                int status = api.status("GET", path, token, null);
                if (!unauthenticated.test(status)) {
                    wrong.add(endpoint + " with a bearer token: " + status);
                }
            }
            String ticket = api.post("/api/v1/events/tickets", ApiClient.VIEWER, null).body().path("ticket").asString();
            int status = api.status("GET", path + "?ticket=" + ticket, null, null);
            if (!admitted.test(status)) {
                wrong.add(endpoint + " with a viewer's ticket: " + status);
            }
        });
        assertThat(wrong).isEmpty();
    }

    private static List<String> endpoints(RequestMappingInfo info) {
        Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
        List<String> endpoints = new ArrayList<>();
        for (String pattern : info.getPatternValues()) {
            if (methods.isEmpty()) {
                endpoints.add("ANY " + pattern);
            }
            methods.forEach(method -> endpoints.add(method.name() + " " + pattern));
        }
        return endpoints;
    }

    private static boolean isOpen(String endpoint, HandlerMethod handler) {
        String pattern = endpoint.substring(endpoint.indexOf(' ') + 1);
        return !pattern.startsWith("/api/") && (OPEN.contains(pattern) || handler.getBeanType() == DASHBOARD);
    }

    /**
     * @param token    its bearer token, or none
     * @param expected the statuses it should get
     */
    private record Caller(String token, IntPredicate expected) {
    }
}
