package ai.moolai.control.pipeline;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/controller/pipeline}: the pipeline health page's figures, for either role. */
@RestController
class PipelineController {

    private final PipelineHealth pipeline;

    PipelineController(PipelineHealth pipeline) {
        this.pipeline = pipeline;
    }

    @GetMapping("/api/v1/controller/pipeline")
    PipelineHealth.Report pipeline() {
        return pipeline.now();
    }
}
