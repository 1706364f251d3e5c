package ai.moolai.control.activity;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import ai.moolai.control.system.Paging;
import ai.moolai.protocol.Json;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/v1/controller/activity}: the activity log, newest first, filtered. */
/** {@code GET /api/v1/controller/activity}: the activity log, newest first, filtered. */
@RestController
class ActivityController {

    private final ActivityHistory history;

    ActivityController(ActivityHistory history) {
        this.history = history;
    }

    @GetMapping("/api/v1/controller/activity")
    Paging.Page<ActivityHistory.Entry> list(@RequestParam(required = false) String actor,
                                            @RequestParam(required = false) String action,
                                            @RequestParam(required = false) String targetType,
                                            @RequestParam(required = false) String targetId,
                                            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
                                            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
                                            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return history.list(new ActivityHistory.Filter(actor, action, targetType, targetId, from, to),
                Paging.of(page, size, null, Map.of("at", "occurred_at"), "at,desc"));
    }
}
