package ai.moolai.control.liveness;

import java.time.Instant;
import java.util.List;

import ai.moolai.control.system.Ids;
import ai.moolai.control.system.Paging;
import jakarta.validation.constraints.Pattern;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** An orchestrator's status history and liveness windows. */
@RestController
@Validated
class LivenessHistoryController {

    private static final String BASE = "/api/v1/controller/orchestrator-instances/{id}";

    private final LivenessHistory history;

    LivenessHistoryController(LivenessHistory history) {
        this.history = history;
    }

    @GetMapping(BASE + "/transitions")
    Paging.Page<LivenessHistory.Transition> transitions(@PathVariable @Pattern(regexp = Ids.PATTERN) String id,
                                                        @RequestParam(required = false) Integer page,
                                                        @RequestParam(required = false) Integer size) {
        return history.transitions(id, Paging.of(page, size, null, LivenessHistory.BY_TIME, "at,desc"));
    }

    /** Windows in {@code [from, to)}, oldest first; the last 24 hours by default, at most 7 days. */
    @GetMapping(BASE + "/windows")
    List<LivenessHistory.Window> windows(@PathVariable @Pattern(regexp = Ids.PATTERN) String id,
                                         @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
                                         @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to) {
        return history.windows(id, from, to);
    }
}
