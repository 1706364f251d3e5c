package ai.moolai.control.events;

import ai.moolai.control.system.Credential;
import ai.moolai.control.system.EventTickets;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /api/v1/events?ticket=…}: a Server-Sent Events stream, for either role, on every
 * replica alike (see {@link LiveFeed}): {@code fleet} (orchestrators whose liveness changed, with
 * the fleet's summary, coalesced by {@link EventHub}), {@code recommendation} (a new one),
 * {@code activity} (a recorded action), {@code enrolments} (the waiting room changed), and
 * {@code reset} when a resumed stream's missed events are not kept; a dashboard that says what it
 * shows ({@code watch}) is sent only those orchestrators' changes. A browser's {@code EventSource}
 * cannot send a bearer token, and a token in the URL would be logged by every proxy on the way, so
 * the caller first asks {@code POST /api/v1/events/tickets}
 * (with its bearer token) for a ticket that opens one stream within 30 s (see {@link EventTickets}).
 */
@RestController
class EventsController {

    private final EventHub hub;
    private final EventTickets tickets;

    EventsController(EventHub hub, EventTickets tickets) {
        this.hub = hub;
        this.tickets = tickets;
    }

    @PostMapping("/api/v1/events/tickets")
    EventTickets.Ticket ticket(Authentication caller) {
        return tickets.issue(caller);
    }

    /**
     * The stream; after the event named by {@code Last-Event-ID} (or {@code lastEventId}), what was
     * missed first; with {@code watch} (see {@link Watch}), only the changes of the orchestrators it
     * holds. A watch that is not one is refused with 400.
     */
    @GetMapping(path = "/api/v1/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(@AuthenticationPrincipal Credential credential,
                      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventHeader,
                      @RequestParam(required = false) String lastEventId, @RequestParam(required = false) String watch) {
        return hub.subscribe(credential, lastEventHeader != null ? lastEventHeader : lastEventId,
                watch == null ? null : Watch.parse(watch));
    }
}
