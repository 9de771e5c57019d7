package io.snapci.packaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders marathon.json.mustache the way Cosmos does on {@code dcos package install} (dcos/cosmos
 * PackageDefinitionRenderer and jsonschema/JsonSchema):
 * <ol>
 *   <li>the defaults of config.json (each property's {@code default}, or its nested properties' defaults) are
 *       merged with the user's options, objects deeply, the user's value winning;</li>
 *   <li>the merged options must satisfy config.json (otherwise Cosmos refuses the install);</li>
 *   <li>resource.json is added to the scope as {@code resource};</li>
 *   <li>mustache.java renders the template with HTML escaping turned off; strings are given JSON-escaped without
 *       their surrounding quotes (with them inside an array), integral numbers as integers;</li>
 *   <li>the result must be a JSON object.</li>
 * </ol>
 */
final class CosmosRenderer {

    private final JsonNode configSchema;
    private final JsonNode resource;

    CosmosRenderer(JsonNode configSchema, JsonNode resource) {
        this.configSchema = configSchema;
        this.resource = resource;
    }

    /** The options Cosmos renders with when the user gives {@code userOptions}. */
    ObjectNode options(JsonNode userOptions) {
        ObjectNode merged = defaults(configSchema);
        mergeInto(merged, userOptions);
        return merged;
    }

    /** The rendered app; fails like Cosmos when the options break config.json or the result is not a JSON object. */
    JsonNode render(String template, JsonNode userOptions) {
        ObjectNode options = options(userOptions);
        List<String> problems = Rules.draft4(configSchema).violations(options);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("options do not satisfy config.json: " + problems);
        }
        ObjectNode scope = options.deepCopy();
        scope.set("resource", resource);
        JsonNode app = Documents.parse(renderText(template, scope));
        if (!app.isObject()) {
            throw new IllegalArgumentException("the rendered template is not a JSON object");
        }
        return app;
    }

    static String renderText(String template, JsonNode scope) {
        Mustache mustache = new RawMustacheFactory().compile(new StringReader(template), "marathon.json.mustache");
        StringWriter out = new StringWriter();
        mustache.execute(out, toJava(scope, false));
        return out.toString();
    }

    /** JsonSchema.extractDefaultsFromSchema: a property's default, else the defaults of its own properties. */
    static ObjectNode defaults(JsonNode schema) {
        ObjectNode defaults = Documents.JSON.createObjectNode();
        schema.path("properties").fields().forEachRemaining(property -> {
            JsonNode definition = property.getValue();
            if (definition.has("default")) {
                defaults.set(property.getKey(), definition.get("default").deepCopy());
            } else if (definition.has("properties")) {
                defaults.set(property.getKey(), defaults(definition));
            }
        });
        return defaults;
    }

    /** JsonUtil.merge: objects merge key by key, anything else is replaced by the later value. */
    static void mergeInto(ObjectNode base, JsonNode later) {
        for (Iterator<Map.Entry<String, JsonNode>> it = later.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode existing = base.get(field.getKey());
            if (existing instanceof ObjectNode existingObject && field.getValue().isObject()) {
                mergeInto(existingObject, field.getValue());
            } else {
                base.set(field.getKey(), field.getValue().deepCopy());
            }
        }
    }

    /** PackageDefinitionRenderer.jsonToJava. */
    private static Object toJava(JsonNode node, boolean parentIsArray) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber()) {
            return node.isIntegralNumber() && node.canConvertToInt() ? (Object) node.intValue() : node.doubleValue();
        }
        if (node.isTextual()) {
            String quoted = jsonString(node.textValue());
            return parentIsArray ? quoted : quoted.substring(1, quoted.length() - 1);
        }
        if (node.isArray()) {
            List<Object> items = new ArrayList<>();
            node.forEach(item -> items.add(toJava(item, true)));
            return items;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        node.fields().forEachRemaining(f -> fields.put(f.getKey(), toJava(f.getValue(), false)));
        return fields;
    }

    private static String jsonString(String value) {
        try {
            return Documents.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Cosmos' factory: mustache.java's HTML encoding replaced by the raw value (it does not render HTML). */
    private static final class RawMustacheFactory extends DefaultMustacheFactory {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value);
            } catch (IOException e) {
                throw new MustacheException(new UncheckedIOException(e));
            }
        }
    }
}
