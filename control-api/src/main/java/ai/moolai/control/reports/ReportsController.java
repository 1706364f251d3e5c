package ai.moolai.control.reports;

import java.time.Instant;
import java.util.Map;


import ai.moolai.control.system.Actor;
import ai.moolai.control.system.Ids;
import ai.moolai.control.system.Paging;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Monitoring reports and recommendations, per orchestrator and fleet-wide, and the decision on a
 * recommendation.
 */
@RestController
@Validated
class ReportsController {

    private static final Map<String, String> BY_RECEIPT = Map.of("receivedAt", "received_at");

    private final ReportArchive reports;
    private final RecommendationInbox inbox;
    private final RecommendationDecisions decisions;

    ReportsController(ReportArchive reports, RecommendationInbox inbox, RecommendationDecisions decisions) {
        this.reports = reports;
        this.inbox = inbox;
        this.decisions = decisions;
    }

    @GetMapping("/api/v1/controller/reports")
    Paging.Page<ReportArchive.Report> reports(@RequestParam(required = false) @Pattern(regexp = Ids.PATTERN) String orchestratorId,
                                              @RequestParam(required = false) @Pattern(regexp = "monitoring_report|config_snapshot") String kind,
                                              @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
                                              @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
                                              @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return reports.list(new ReportArchive.Filter(orchestratorId, kind, from, to),
                Paging.of(page, size, null, BY_RECEIPT, "receivedAt,desc"));
    }

    @GetMapping("/api/v1/controller/orchestrator-instances/{id}/reports")
    Paging.Page<ReportArchive.Report> reportsOf(@PathVariable @Pattern(regexp = Ids.PATTERN) String id,
                                                @RequestParam(required = false) @Pattern(regexp = "monitoring_report|config_snapshot") String kind,
                                                @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return reports(id, kind, null, null, page, size);
    }

    /** Pending first, then newest first. */
    @GetMapping("/api/v1/controller/recommendations")
    Paging.Page<RecommendationInbox.View> recommendations(
            @RequestParam(required = false) @Pattern(regexp = Ids.PATTERN) String orchestratorId,
            @RequestParam(required = false) @Pattern(regexp = "PENDING|ACCEPTED|REJECTED") String status,
            @RequestParam(required = false) @Pattern(regexp = "info|warning|critical") String severity,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return inbox.list(new RecommendationInbox.Filter(orchestratorId, status, severity),
                Paging.of(page, size, null, BY_RECEIPT, "receivedAt,desc"));
    }

    @GetMapping("/api/v1/controller/orchestrator-instances/{id}/recommendations")
    Paging.Page<RecommendationInbox.View> recommendationsOf(@PathVariable @Pattern(regexp = Ids.PATTERN) String id,
                                                           @RequestParam(required = false) Integer page,
                                                           @RequestParam(required = false) Integer size) {
        return recommendations(id, null, null, page, size);
    }

    @GetMapping("/api/v1/controller/recommendations/{id}")
    RecommendationInbox.View recommendation(@PathVariable long id) {
        return inbox.get(id);
    }

    /** Accepts or rejects a pending recommendation; deciding twice is a conflict. */
    @PostMapping("/api/v1/controller/recommendations/{id}/decision")
    RecommendationInbox.View decide(@PathVariable long id, @Valid @RequestBody DecisionRequest request) {
        return decisions.decide(id, request, Actor.current());
    }
}
