package ai.moolai.control.pipeline;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/controller/pipeline}: the pipeline health page's figures, for either role. */
@RestController
class PipelineController {

    private final PipelineHealth pipeline;

    PipelineController(PipelineHealth pipeline) {
        this.pipeline = pipeline;
    }

    /** The last gathering; 503 before the first one, a second or so after start. */
    @GetMapping("/api/v1/controller/pipeline")
    ResponseEntity<PipelineHealth.Pipeline> pipeline() {
        return pipeline.now().map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).build());
    }
}
