package io.snapci.scheduler.portworx.sdk;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * JSON as the gateway speaks it. Unknown fields are ignored (the SDK grows; a newer Portworx must not break us) and
 * empty fields are left out, as proto3's JSON mapping does. Field names are given on the records.
 */
public final class SdkJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // empty fields left out, but map entries always written: an empty label value deletes that label
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY,
                    JsonInclude.Include.ALWAYS))
            .build();

    private SdkJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
