package ai.moolai.control.instances;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the dashboard's live view of the fleet warns about, under {@code controller.dashboard.*}.
 *
 * @param massChangeShare the share of the fleet, from 0 to 1, that must be exceeded by the
 *                        orchestrators that changed status within the last minute for the dashboard
 *                        to warn of a mass change ({@code MASS_CHANGE_SHARE}, a tenth by default)
 */
@ConfigurationProperties("controller.dashboard")
record DashboardProperties(@DefaultValue("0.1") double massChangeShare) {

    DashboardProperties {
        if (!(massChangeShare >= 0 && massChangeShare <= 1)) {
            throw new IllegalArgumentException("controller.dashboard.mass-change-share must be from 0 to 1, not "
                    + massChangeShare);
        }
    }
}
