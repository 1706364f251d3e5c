package ai.moolai.control.system;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Who the caller's token says they are: the dashboard shows controls only to admins. */
@RestController
class MeController {

    @GetMapping("/api/v1/controller/me")
    Actor me() {
        return Actor.current();
    }
}
