package io.snapci.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The answer to {@code --config-schema}: what dcos CLI 0.6 and older validate {@code dcos config set} against. */
class PluginSettingsTest {

    @Test
    void theSchemaIsAJsonObjectSchemaOfEverySettingTheCliReads() throws Exception {
        JsonNode schema = SnapciApi.JSON.readTree(PluginSettings.schema());
        assertEquals("object", schema.path("type").asText());
        assertFalse(schema.path("additionalProperties").asBoolean(true), "an unknown snapci.* key is refused");
        assertEquals(PluginSettings.ALL.size(), schema.path("properties").size());
        for (PluginSettings.Setting setting : PluginSettings.ALL) {
            JsonNode property = schema.path("properties").path(setting.key());
            assertEquals("string", property.path("type").asText());
            assertFalse(property.path("description").asText().isBlank());
        }
        Pattern name = Pattern.compile(schema.at("/properties/service_name/pattern").asText());
        assertTrue(name.matcher("snapci-staging").matches());
        assertTrue(name.matcher("ci/snapci").matches());
        assertFalse(name.matcher("Snap CI").matches());
        assertEquals("DCOS_SNAPCI_SERVICE_NAME", PluginSettings.SERVICE_NAME.environmentVariable());
    }
}
