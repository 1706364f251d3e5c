package ai.moolai.control.system;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports {@link CredentialsRefused} at start-up as one message saying what to set, not as a stack trace. */
class CredentialsRefusedAnalyzer extends AbstractFailureAnalyzer<CredentialsRefused> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, CredentialsRefused cause) {
        return new FailureAnalysis(cause.getMessage(), "Set it as the description says and start control-api again.", cause);
    }
}
