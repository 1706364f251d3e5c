package ai.moolai.admin;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.service.annotation.DeleteExchange;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;
import org.springframework.web.service.annotation.PutExchange;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * control-api's admin API, as the dashboard calls it, for the launcher, the benchmarks and the tests.
 * Requests and answers are records; an answer other than 2xx throws Spring's
 * {@link org.springframework.web.client.RestClientResponseException}, which carries its status and body.
 * Parameters left {@code null} are not sent.
 */
@HttpExchange(url = "/api/v1", accept = "application/json")
public interface AdminApi {

    /**
     * A client of the control-api at {@code base} ({@code http://127.0.0.1:8080}), presenting {@code token} as a
     * bearer token on every request.
     */
    static AdminApi connect(URI base, String token) {
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build());
        requests.setReadTimeout(Duration.ofSeconds(15));
        JsonMapper json = JsonMapper.builder()
                .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
                .build();
        RestClient http = RestClient.builder().baseUrl(base).requestFactory(requests)
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .configureMessageConverters(converters -> converters.withJsonConverter(new JacksonJsonHttpMessageConverter(json)))
                .build();
        return HttpServiceProxyFactory.builderFor(RestClientAdapter.create(http)).build().createClient(AdminApi.class);
    }

    /** Organizations whose id or name contains {@code q}, by name. */
    @GetExchange("/controller/organizations")
    Page<Organization> organizations(@RequestParam(required = false) String q, @RequestParam(required = false) Integer page,
                                     @RequestParam(required = false) Integer size);

    /** A new organization; its id is made from the name when the request gives none. */
    @PostExchange("/controller/organizations")
    Organization createOrganization(@RequestBody OrganizationRequest organization);

    /** One organization, with how many orchestrators serve it. */
    @GetExchange("/controller/organizations/{id}")
    Organization organization(@PathVariable String id);

    /** Changes an organization; settings left {@code null} stay as they are. */
    @PutExchange("/controller/organizations/{id}")
    Organization updateOrganization(@PathVariable String id, @RequestBody OrganizationRequest organization);

    /** Refused (409) while the organization has orchestrators. */
    @DeleteExchange("/controller/organizations/{id}")
    void deleteOrganization(@PathVariable String id);

    /** Orchestrator instances, by id, of one organization and in one status when those are given. */
    @GetExchange("/controller/orchestrator-instances")
    Page<Instance> instances(@RequestParam(required = false) String organizationId,
                             @RequestParam(required = false) String status, @RequestParam(required = false) Integer page,
                             @RequestParam(required = false) Integer size);

    /** A new orchestrator and its token, which no later answer shows again. */
    @PostExchange("/controller/orchestrator-instances")
    Instance.WithToken createInstance(@RequestBody InstanceRequest instance);

    /** One orchestrator, with its liveness. */
    @GetExchange("/controller/orchestrator-instances/{id}")
    Instance instance(@PathVariable String id);

    /** Changes an orchestrator, raising its desired-state version; a name or features left {@code null} stay. */
    @PutExchange("/controller/orchestrator-instances/{id}")
    Instance updateInstance(@PathVariable String id, @RequestBody InstanceRequest instance);

    /** Deletes an orchestrator; its sessions are closed and its token stops working. */
    @DeleteExchange("/controller/orchestrator-instances/{id}")
    void deleteInstance(@PathVariable String id);

    /** A new token for the orchestrator; the old one stops working. */
    @PostExchange("/controller/orchestrator-instances/{id}/credentials")
    Instance.WithToken rotateCredentials(@PathVariable String id);

    /** The orchestrator's status changes, newest first. */
    @GetExchange("/controller/orchestrator-instances/{id}/transitions")
    Page<Transition> transitions(@PathVariable String id, @RequestParam(required = false) Integer page,
                                 @RequestParam(required = false) Integer size);

    /** The orchestrator's monitoring reports and config snapshots, newest first. */
    @GetExchange("/controller/orchestrator-instances/{id}/reports")
    Page<Report> reports(@PathVariable String id, @RequestParam(required = false) Integer page,
                         @RequestParam(required = false) Integer size);

    /** Counts by status and the orchestrators ACTIVE now. */
    @GetExchange("/controller/orchestrators/live")
    Live live();

    /** Counts by status, from two aggregates: cheap at any fleet size. */
    @GetExchange("/controller/orchestrators/summary")
    FleetSummary summary();

    /** Whether the orchestrator is set free, and whether it has confirmed. */
    @GetExchange("/internal/orchestrators/{id}/independence")
    Independence independence(@PathVariable String id);

    /** Sets the orchestrator free, or takes it back; the answer shows whether it has confirmed yet. */
    @PutExchange("/internal/orchestrators/{id}/independence")
    Independence setIndependence(@PathVariable String id, @RequestBody IndependenceRequest decision);

    /** Recommendations, pending first, then newest first. */
    @GetExchange("/controller/recommendations")
    Page<Recommendation> recommendations(@RequestParam(required = false) String orchestratorId,
                                         @RequestParam(required = false) String status,
                                         @RequestParam(required = false) Integer page,
                                         @RequestParam(required = false) Integer size);

    /** One recommendation and what was decided on it. */
    @GetExchange("/controller/recommendations/{id}")
    Recommendation recommendation(@PathVariable long id);

    /** Accepts or rejects a pending recommendation; one already decided is a conflict (409). */
    @PostExchange("/controller/recommendations/{id}/decision")
    Recommendation decide(@PathVariable long id, @RequestBody DecisionRequest decision);

    /** Orchestrators nobody registered that asked to be enrolled, the latest heard first. */
    @GetExchange("/controller/enrolments")
    List<WaitingOrchestrator> enrolments();

    /** Registers a waiting orchestrator into an organization; it is admitted at once if still connected. */
    @PostExchange("/controller/enrolments/{id}/approve")
    Instance approveEnrolment(@PathVariable String id, @RequestBody ApprovalRequest approval);

    /** Closes a waiting orchestrator with 4403 and refuses it at every edge for a while. */
    @PostExchange("/controller/enrolments/{id}/reject")
    WaitingOrchestrator rejectEnrolment(@PathVariable String id, @RequestBody RejectionRequest rejection);

    /** A new enrolment token for the organization, shown this once. */
    @PostExchange("/controller/organizations/{id}/enrolment-tokens")
    EnrolmentToken.WithToken createEnrolmentToken(@PathVariable String id, @RequestBody EnrolmentTokenRequest request);

    /** The organization's enrolment tokens, the newest first. */
    @GetExchange("/controller/organizations/{id}/enrolment-tokens")
    List<EnrolmentToken> enrolmentTokens(@PathVariable String id);

    /** The activity log, newest first; {@code action} matches an action or its prefix ({@code recommendation}). */
    @GetExchange("/controller/activity")
    Page<ActivityEntry> activity(@RequestParam(required = false) String action,
                                 @RequestParam(required = false) String targetId,
                                 @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size);
}
