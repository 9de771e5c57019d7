package io.snapci.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Injector;
import io.snapci.model.Json;
import io.snapci.server.ui.UiResource;
import jakarta.ws.rs.ext.ContextResolver;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * The Jersey application: resources and filters are built by Guice (so they share the one dispatcher, store and
 * authenticator) and registered as instances; responses are written with the model's JSON configuration.
 */
public final class ApiApplication {

    private ApiApplication() {
    }

    public static ResourceConfig create(Injector injector) {
        ResourceConfig config = new ResourceConfig();
        config.register(JacksonFeature.withoutExceptionMappers());
        config.register(new ModelJson());
        config.register(injector.getInstance(BearerAuthFilter.class));
        config.register(new RequestLog());
        config.register(new ErrorMappers.Problems());
        config.register(new ErrorMappers.Web());
        config.register(new ErrorMappers.Unexpected());
        config.register(injector.getInstance(RunsResource.class));
        config.register(injector.getInstance(SnapshotsResource.class));
        config.register(injector.getInstance(AuditResource.class));
        config.register(injector.getInstance(HealthResource.class));
        config.register(new CallerResource());
        config.register(injector.getInstance(MetricsResource.class));
        config.register(new UiResource());
        // Our own mappers decide every error body; Jersey must not swap in its HTML pages or drop entities.
        config.property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
        config.property(ServerProperties.WADL_FEATURE_DISABLE, true);
        return config;
    }

    /** Jersey finds the mapper by the resolver's type parameter, which a lambda would not carry. */
    private static final class ModelJson implements ContextResolver<ObjectMapper> {
        @Override
        public ObjectMapper getContext(Class<?> type) {
            return Json.mapper();
        }
    }
}
