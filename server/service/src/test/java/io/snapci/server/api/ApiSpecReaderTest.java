package io.snapci.server.api;

import io.snapci.model.ApiError;
import io.snapci.server.ApiProblem;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The run spec reader on its own: strict JSON, client key apart, the field named in every refusal. */
class ApiSpecReaderTest {

    private final RunRequestReader reader = new RunRequestReader();

    private RunRequestReader.RunRequest read(String json) {
        return reader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** The error body the API answers for {@code json}. */
    private ApiError refusal(String json) {
        return catchThrowableOfType(ApiProblem.class, () -> read(json)).body();
    }

    @Test
    void aSpecWithAClientKeyReadsAsBoth() {
        RunRequestReader.RunRequest request = read("{\"clientKey\": \"gitlab:pipeline/42\", \"testCommand\": "
                + "\"mvn -B test\", \"timeouts\": {\"tests\": \"PT20M\"}, \"labels\": {\"branch\": \"main\"}}");
        assertThat(request.clientKey()).isEqualTo("gitlab:pipeline/42");
        assertThat(request.spec().testCommand()).isEqualTo("mvn -B test");
        assertThat(request.spec().timeouts().tests().toMinutes()).isEqualTo(20);
        assertThat(request.spec().labels()).containsEntry("branch", "main");
    }

    @Test
    void silentCoercionsAreRefused() {
        assertThat(refusal("{\"testCommand\": true}").field()).isEqualTo("testCommand");
        assertThat(refusal("{\"testCommand\": \"t\", \"cassandra\": {\"cqlPort\": 9042.5}}").field())
                .isEqualTo("cassandra.cqlPort");
        assertThat(refusal("{\"testCommand\": \"t\", \"env\": {\"A\": 1}}").field()).isEqualTo("env.A");
        assertThat(refusal("{\"testCommand\": \"t\", \"labels\": \"\"}").field()).isEqualTo("labels");
    }

    @Test
    void duplicateKeysTrailingGarbageAndDeepNestingAreRefused() {
        assertThat(refusal("{\"testCommand\": \"a\", \"testCommand\": \"b\"}").message()).contains("Duplicate");
        assertThat(refusal("{\"testCommand\": \"a\"} {}").field()).isEqualTo("body");
        assertThat(refusal("{\"labels\": " + "[".repeat(100) + "]".repeat(100) + "}").message())
                .contains("nested too deeply");
    }

    @Test
    void nullsInsideMapsAndListsNameTheirPlace() {
        assertThat(refusal("{\"testCommand\": \"t\", \"cassandra\": {\"jvmOptions\": [\"-Xss1m\", null]}}").field())
                .isEqualTo("cassandra.jvmOptions[1]");
        assertThat(refusal("{\"testCommand\": \"t\", \"labels\": {\"k\": null}}").field()).isEqualTo("labels.k");
    }

    @Test
    void aBodyOverTheLimitIs413() {
        ApiError problem = refusal("{\"testCommand\": \"" + "x".repeat(RunRequestReader.MAX_BODY_BYTES) + "\"}");
        assertThat(problem.status()).isEqualTo(413);
    }
}
