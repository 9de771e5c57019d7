package io.snapci.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snapci.model.RunSpec;
import io.snapci.model.Timeouts;
import io.snapci.server.ApiProblem;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns the body of {@code POST /v1/runs} into a client key and a {@link RunSpec}, or an {@link ApiProblem} that
 * names the field and the problem. The body is a run spec with one more, optional field, {@code clientKey}.
 * Reading stops at {@link #MAX_BODY_BYTES}; nothing is created here.
 */
public final class RunRequestReader {

    public static final int MAX_BODY_BYTES = 64 * 1024;
    public static final String CLIENT_KEY = "clientKey";

    private static final Pattern CLIENT_KEY_SHAPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:/@+-]{0,127}");
    /** Messages of the model's own checks start with the field they are about: "cassandra.heap must ...". */
    private static final Pattern LEADING_FIELD = Pattern.compile("^([a-zA-Z]+(?:\\.[a-zA-Z]+)*)[ :]");

    /** A client key (or null) and the spec. */
    public record RunRequest(String clientKey, RunSpec spec) {
    }

    private final Timeouts defaults;

    /** @param defaults the timeouts a spec gets for those it does not give (serve's runs.*Timeout settings) */
    public RunRequestReader(Timeouts defaults) {
        this.defaults = defaults;
    }

    public RunRequestReader() {
        this(Timeouts.defaults());
    }

    public RunRequest read(InputStream body) {
        byte[] bytes = readBounded(body);
        JsonNode tree;
        try {
            tree = ApiJson.strict().readTree(bytes);
        } catch (StreamConstraintsException e) {
            throw ApiProblem.invalid("body", "the JSON is nested too deeply or holds too long a value: "
                    + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw ApiProblem.invalid("body", "not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw ApiProblem.invalid("body", "cannot be read: " + e.getMessage());
        }
        if (tree == null || tree.isMissingNode()) {
            throw ApiProblem.invalid("body", "is empty: send a run spec, e.g. {\"testCommand\": \"mvn -B test\"}");
        }
        if (!tree.isObject()) {
            throw ApiProblem.invalid("body", "must be a JSON object (a run spec), got " + tree.getNodeType());
        }
        ObjectNode object = (ObjectNode) tree;
        String clientKey = clientKey(object.remove(CLIENT_KEY));
        rejectNullsInCollections(object, "");
        JsonNode given = object.path("timeouts");
        RunSpec spec = bind(object);
        return new RunRequest(clientKey, withDefaultTimeouts(spec, given));
    }

    /** The spec's own timeouts where it gave them, serve's defaults for the others. */
    private RunSpec withDefaultTimeouts(RunSpec spec, JsonNode given) {
        Timeouts own = spec.timeouts();
        Timeouts timeouts = new Timeouts(
                given.hasNonNull("cassandraReady") ? own.cassandraReady() : defaults.cassandraReady(),
                given.hasNonNull("tests") ? own.tests() : defaults.tests(),
                given.hasNonNull("run") ? own.run() : defaults.run());
        return new RunSpec(spec.source(), spec.testCommand(), spec.testImage(), spec.workDir(), spec.env(),
                spec.junitGlob(), timeouts, spec.cassandra(), spec.labels(), spec.mask());
    }

    private static byte[] readBounded(InputStream body) {
        try {
            byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw ApiProblem.tooLarge("the body is larger than " + MAX_BODY_BYTES + " bytes; a run spec is "
                        + "far smaller: keep big data out of env and labels");
            }
            return bytes;
        } catch (IOException e) {
            throw ApiProblem.invalid("body", "cannot be read: " + e.getMessage());
        }
    }

    private static String clientKey(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || !CLIENT_KEY_SHAPE.matcher(node.textValue()).matches()) {
            throw ApiProblem.invalid(CLIENT_KEY, "must be a string of 1 to 128 letters, digits and _.:/@+- "
                    + "starting with a letter or digit, such as the CI job id");
        }
        return node.textValue();
    }

    /**
     * A null inside env, labels or a list has no meaning (a null field elsewhere means "the default"), and the
     * model's immutable copies would fail on it without saying where.
     */
    private static void rejectNullsInCollections(JsonNode node, String path) {
        boolean inMapOrList = node.isArray() || path.equals("env") || path.equals("labels");
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                nullCheck(node.get(i), path + "[" + i + "]", true);
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                nullCheck(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(),
                        inMapOrList);
            }
        }
    }

    private static void nullCheck(JsonNode child, String path, boolean nullForbidden) {
        if (child.isNull() && nullForbidden) {
            throw ApiProblem.invalid(path, "null is not allowed here: give a value or leave the entry out");
        }
        rejectNullsInCollections(child, path);
    }

    private static RunSpec bind(ObjectNode object) {
        try {
            return ApiJson.strict().treeToValue(object, RunSpec.class);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : " Known fields here: " + e.getKnownPropertyIds()
                    .stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ".";
            throw ApiProblem.invalid(path(e), "unknown field '" + e.getPropertyName() + "'." + known);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            Matcher leading = LEADING_FIELD.matcher(message);
            String field = leading.find() ? leading.group(1) : path(e);
            throw ApiProblem.invalid(field, message);
        } catch (MismatchedInputException e) {
            // Jackson's own sentence, without its advice to enable coercion (which is refused on purpose).
            String detail = e.getOriginalMessage().split("\n")[0].replaceAll(" \\(but could if coercion.*", "");
            throw ApiProblem.invalid(path(e), "expected " + expected(e.getTargetType()) + ": " + detail);
        } catch (JsonMappingException e) {
            throw ApiProblem.invalid(path(e), e.getOriginalMessage().split("\n")[0]);
        } catch (JsonProcessingException | IllegalArgumentException | ArithmeticException e) {
            throw ApiProblem.invalid("body", "cannot be read as a run spec: " + e.getMessage());
        }
    }

    /** "cassandra.jvmOptions[2]" from Jackson's reference chain; "body" for the root. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "body" : path.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class) {
            return "a whole number";
        }
        if (type == java.time.Duration.class) {
            return "a duration in ISO-8601, such as \"PT5M\"";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "an object of string values";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "an array of strings";
        }
        return "an object";
    }
}
