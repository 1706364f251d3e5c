package ai.moolai.service.management;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * The management port's gate ({@link ManagementAccess}), in whichever context serves the actuator:
 * the management port's own, or the application's when they share a port. It comes before any
 * other filter there, Spring Security's included.
 */
@ManagementContextConfiguration(value = ManagementContextType.ANY, proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(ManagementAccessProperties.class)
public class ManagementAccessConfiguration {

    @Bean
    FilterRegistrationBean<ManagementAccessFilter> managementAccessFilter(ManagementAccessProperties properties,
                                                                          PathMappedEndpoints endpoints) {
        ManagementAccess access = new ManagementAccess(endpoints.getPath(EndpointId.of("health")), properties.token());
        FilterRegistrationBean<ManagementAccessFilter> registration = new FilterRegistrationBean<>(new ManagementAccessFilter(access));
        registration.addUrlPatterns(endpoints.getBasePath() + "/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }
}
