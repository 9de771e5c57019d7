package io.snapci.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * marathon.json at the top of the checkout: the package's app for a direct `dcos marathon app add` or
 * `POST /v2/apps` on a plain Marathon. It must be plain JSON (no comments), a valid app, and the same app the package
 * installs with its defaults, so that the two never drift apart.
 */
class TopLevelMarathonJsonTest {

    private static final Path MARATHON_JSON = Documents.repoRoot().resolve("marathon.json");

    @Test
    void isPlainJsonAndAValidMarathonApp() {
        // Documents parses strictly: a comment, a trailing comma or a duplicate key fails here.
        JsonNode app = Documents.read(MARATHON_JSON);
        assertThat(Documents.text(MARATHON_JSON)).doesNotContain("{{");
        assertThat(MarathonAppRules.violations(app)).isEmpty();
    }

    @Test
    void isThePackagesAppWithItsDefaults() throws IOException {
        UniverseFiles universe = UniverseFiles.checkout();
        ObjectNode expected = (ObjectNode) universe.renderer().render(universe.marathonTemplate(),
                Documents.JSON.createObjectNode());
        // No secret is configured by default, and a plain Marathon without DC/OS has no secret store.
        assertThat(expected.path("secrets").size()).isZero();
        expected.remove("secrets");
        JsonNode actual = Files.exists(MARATHON_JSON) ? Documents.read(MARATHON_JSON) : null;
        if (!expected.equals(actual)) {
            Path wanted = Path.of("target", "marathon.json.expected");
            Files.writeString(wanted, Documents.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(expected) + "\n");
            assertThat(actual).as("marathon.json differs from the package's default app; the app it should be is in "
                    + wanted.toAbsolutePath()).isEqualTo(expected);
        }
    }
}
