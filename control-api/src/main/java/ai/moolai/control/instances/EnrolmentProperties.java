package ai.moolai.control.instances;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How enrolments are decided, under {@code controller.enrolment.*}.
 *
 * @param rejectionMemory how long the edges refuse an orchestrator whose enrolment an admin rejected, unless the
 *                        admin says otherwise ({@code ENROLMENT_REJECTION_MEMORY}, a day by default)
 */
@ConfigurationProperties("controller.enrolment")
record EnrolmentProperties(@DefaultValue("24h") Duration rejectionMemory) {

    EnrolmentProperties {
        if (rejectionMemory.isNegative() || rejectionMemory.isZero()) {
            throw new IllegalArgumentException("controller.enrolment.rejection-memory must be positive, not "
                    + rejectionMemory);
        }
    }
}
