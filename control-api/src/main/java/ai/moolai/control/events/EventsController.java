package ai.moolai.control.events;

import ai.moolai.control.activity.ActivityLog;
import org.springframework.http.MediaType;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /api/v1/events}: a Server-Sent Events stream of {@code liveness} (a status change),
 * {@code recommendation} (a new one) and {@code activity} (a recorded action). Authenticated like
 * every read; a browser passes its token as {@code ?access_token=}.
 */
@RestController
class EventsController {

    private final EventHub hub;

    EventsController(EventHub hub) {
        this.hub = hub;
    }

    @GetMapping(path = "/api/v1/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events() {
        return hub.subscribe();
    }

    @TransactionalEventListener
    void on(ActivityLog.ActivityRecorded recorded) {
        hub.publish("activity", recorded.entry());
    }
}
