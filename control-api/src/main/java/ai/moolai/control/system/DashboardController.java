package ai.moolai.control.system;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The built dashboard, when present: static files come from {@code spring.web.resources.static-locations}
 * ({@code FRONTEND_DIST}); the dashboard's own routes (paths without a dot, outside the API) get
 * its {@code index.html}, so a deep link or a reload works.
 */
@Controller
class DashboardController {

    private final ResourceLoader resources;
    private final String indexLocation;

    DashboardController(ResourceLoader resources,
                        @Value("${controller.dashboard.index:file:${FRONTEND_DIST:frontend/dist/}index.html}")
                        String indexLocation) {
        this.resources = resources;
        this.indexLocation = indexLocation;
    }

    @GetMapping({"/", "/{first:[^.]*}", "/{first:^(?!api|actuator|v3|swagger-ui)[^.]*}/{second:[^.]*}",
            "/{first:^(?!api|actuator|v3|swagger-ui)[^.]*}/{second:[^.]*}/{third:[^.]*}"})
    ResponseEntity<Resource> dashboard() {
        Resource index = resources.getResource(indexLocation);
        if (!index.exists()) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).body(index);
    }
}
