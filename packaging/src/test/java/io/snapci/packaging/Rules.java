package io.snapci.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A set of rules written as a JSON schema, checked with a JSON Schema validator from Maven Central. The rule files
 * under src/test/resources/rules/ are snapci's own statement of what Universe and Marathon accept; each says which
 * public schema or type definition it was written from. They are not copies of those files.
 */
final class Rules {

    /** What Marathon accepts as an app definition (field types, enums, patterns); see also {@link MarathonAppRules}. */
    static final Rules MARATHON_APP = fromResource("rules/marathon-app.rules.json");
    /** What Universe accepts as a packagingVersion 4.0 package.json. */
    static final Rules UNIVERSE_PACKAGE_V4 = fromResource("rules/universe-package-v4.rules.json");
    /** What Universe accepts as resource.json (v3 resource schema, used by packaging versions 3.0 and 4.0). */
    static final Rules UNIVERSE_RESOURCE = fromResource("rules/universe-resource.rules.json");
    /** What Universe asks of config.json's top level. */
    static final Rules UNIVERSE_CONFIG = fromResource("rules/universe-config.rules.json");
    /**
     * JSON Schema draft 4 itself: config.json must be a valid draft-4 schema, the draft Cosmos validates options
     * with (it uses com.github.fge json-schema-validator, whose default is draft 4).
     */
    static final Rules JSON_SCHEMA_DRAFT_4 = new Rules(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
            .getSchema(SchemaLocation.of("http://json-schema.org/draft-04/schema#")));

    private final JsonSchema schema;

    private Rules(JsonSchema schema) {
        this.schema = schema;
    }

    /**
     * Draft 4 plus Universe's {@code media} keyword (a hint for the DC/OS UI's form; validators ignore it, as Cosmos'
     * does, and it is declared so that it is not reported as unknown).
     */
    private static final JsonSchemaFactory DRAFT_4_WITH_MEDIA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
            builder -> builder.metaSchema(JsonMetaSchema.builder(JsonMetaSchema.getV4())
                    .keyword(new NonValidationKeyword("media")).build()));

    /** A draft-4 schema given as a document, e.g. config.json, to check options against the way Cosmos does. */
    static Rules draft4(JsonNode schemaDocument) {
        return new Rules(DRAFT_4_WITH_MEDIA.getSchema(schemaDocument));
    }

    private static Rules fromResource(String name) {
        try (InputStream in = Rules.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing rule file " + name);
            }
            return new Rules(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every broken rule, as "location: problem"; empty when the document follows them all. */
    List<String> violations(JsonNode document) {
        return schema.validate(document).stream().map(ValidationMessage::getMessage).sorted().toList();
    }
}
