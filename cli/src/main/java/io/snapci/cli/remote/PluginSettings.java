package io.snapci.cli.remote;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code snapci.*} settings of the dcos CLI's configuration ({@code dcos config set snapci.service_name NAME}).
 * One list, so that what the plugin reads and the schema it gives dcos CLI 0.6 and older (which validate a value
 * against {@code dcos-snapci snapci --config-schema} before they store it) never differ.
 */
public final class PluginSettings {

    /** One setting: its key under {@code snapci.}, a JSON schema pattern for its value, what it means. */
    record Setting(String key, String pattern, String description) {

        /** dcos CLI 0.7 and newer pass {@code snapci.service_name} to the plugin as {@code DCOS_SNAPCI_SERVICE_NAME}. */
        String environmentVariable() {
            return "DCOS_SNAPCI_" + key.toUpperCase(Locale.ROOT);
        }
    }

    static final Setting SERVICE_NAME = new Setting("service_name",
            "^/?([a-z0-9]([a-z0-9-]*[a-z0-9])?/)*[a-z0-9]([a-z0-9-]*[a-z0-9])?$",
            "The snapci service's name in the cluster (its Marathon app id, the path /service/<name>/). Default: snapci.");

    static final List<Setting> ALL = List.of(SERVICE_NAME);

    private PluginSettings() {
    }

    /**
     * A setting's value: the environment first ({@code DCOS_SNAPCI_<KEY>}, set by dcos CLI 1.x, or by the user to
     * override), then the attached cluster's {@code dcos.toml} ({@code [snapci] <key> = ...}), as dcos-commons' CLI
     * resolves its settings. Null when neither has one.
     */
    static String value(Setting setting, Map<String, String> env, Map<String, String> toml) {
        String fromEnv = env.get(setting.environmentVariable());
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        String fromToml = toml.get("snapci." + setting.key());
        return fromToml == null || fromToml.isBlank() ? null : fromToml;
    }

    /** The JSON schema of the settings, the answer to {@code --config-schema}. */
    public static String schema() {
        ObjectNode schema = SnapciApi.JSON.createObjectNode();
        schema.put("$schema", "http://json-schema.org/schema#");
        schema.put("type", "object");
        schema.put("title", "snapci");
        schema.put("description", "Settings of the snapci subcommand (dcos config set snapci.<key> <value>).");
        ObjectNode properties = schema.putObject("properties");
        for (Setting setting : ALL) {
            properties.putObject(setting.key()).put("type", "string").put("title", setting.key())
                    .put("description", setting.description()).put("pattern", setting.pattern());
        }
        schema.put("additionalProperties", false);
        try {
            return SnapciApi.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(schema);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
