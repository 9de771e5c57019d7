package io.snapci.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.Consumer;
import java.util.function.Function;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The rules are worth something only if they fail: each case breaks one rule in an otherwise valid document (the
 * rendered default app, the filled package.json or resource.json) and expects a violation.
 */
class RulesCatchBrokenDocumentsTest {

    private static final UniverseFiles UNIVERSE = UniverseFiles.checkout();

    private static JsonNode app() {
        return UNIVERSE.renderer().render(UNIVERSE.marathonTemplate(), Documents.JSON.createObjectNode());
    }

    private static Arguments appCase(String what, Consumer<ObjectNode> breakIt) {
        ObjectNode app = (ObjectNode) app();
        breakIt.accept(app);
        return arguments(what, app, (Function<JsonNode, List<String>>) MarathonAppRules::violations);
    }

    private static Arguments packageCase(String what, Consumer<ObjectNode> breakIt) {
        ObjectNode pkg = UNIVERSE.packageJson().deepCopy();
        breakIt.accept(pkg);
        return arguments(what, pkg, (Function<JsonNode, List<String>>) Rules.UNIVERSE_PACKAGE_V4::violations);
    }

    private static Arguments resourceCase(String what, Consumer<ObjectNode> breakIt) {
        ObjectNode resource = UNIVERSE.resource().deepCopy();
        breakIt.accept(resource);
        return arguments(what, resource, (Function<JsonNode, List<String>>) Rules.UNIVERSE_RESOURCE::violations);
    }

    private static ObjectNode obj(JsonNode node, String pointer) {
        return (ObjectNode) node.at(pointer);
    }

    static Stream<Arguments> brokenDocuments() {
        return Stream.of(
                appCase("app without id", a -> a.remove("id")),
                appCase("app id with upper case", a -> a.put("id", "/SnapCI")),
                appCase("field Marathon does not know", a -> a.put("command", "x")),
                appCase("cmd and args", a -> a.putArray("args").add("serve")),
                appCase("no command at all", a -> a.remove("cmd")),
                appCase("cpus as a string", a -> a.put("cpus", "1")),
                appCase("negative memory", a -> a.put("mem", -1)),
                appCase("fractional instances", a -> a.put("instances", 1.5)),
                appCase("env value that is a number", a -> obj(a, "/env").put("SNAPCI_MODE", 1)),
                appCase("env name with a dash", a -> obj(a, "/env").put("SNAPCI-MODE", "x")),
                appCase("file secret that is not declared", a -> a.putObject("container").put("type", "MESOS")
                        .putArray("volumes").addObject().put("containerPath", "ca.pem").put("secret", "nowhere")),
                appCase("file secret in a Docker container", a -> {
                    obj(a, "/secrets").putObject("ca").put("source", "snapci/ca");
                    a.putObject("container").put("type", "DOCKER").putArray("volumes").addObject()
                            .put("containerPath", "ca.pem").put("secret", "ca");
                }),
                appCase("file secret without a path", a -> {
                    obj(a, "/secrets").putObject("ca").put("source", "snapci/ca");
                    a.putObject("container").put("type", "MESOS").putArray("volumes").addObject().put("secret", "ca");
                }),
                appCase("env reference to an undeclared secret",
                        a -> obj(a, "/env").putObject("SNAPCI_AUTH_TOKENS").put("secret", "nowhere")),
                appCase("secret without a source", a -> obj(a, "/secrets").putObject("x")),
                appCase("fetch without uri", a -> ((ObjectNode) a.at("/fetch/0")).remove("uri")),
                appCase("fetch extract as a string", a -> ((ObjectNode) a.at("/fetch/0")).put("extract", "yes")),
                appCase("health check protocol Marathon lacks",
                        a -> ((ObjectNode) a.at("/healthChecks/0")).put("protocol", "GRPC")),
                appCase("health check on a port the app does not have",
                        a -> ((ObjectNode) a.at("/healthChecks/0")).put("portIndex", 1)),
                appCase("health check with a negative interval",
                        a -> ((ObjectNode) a.at("/healthChecks/0")).put("intervalSeconds", -1)),
                appCase("constraint with an unknown operator",
                        a -> a.putArray("constraints").addArray().add("hostname").add("SOMEWHERE")),
                appCase("constraint with four parts",
                        a -> a.putArray("constraints").addArray().add("a").add("LIKE").add("b").add("c")),
                appCase("constraint with the region operator misspelt",
                        a -> a.putArray("constraints").addArray().add("@region").add("EQUALS").add("eu-1")),
                appCase("VIP without a port", a -> ((ObjectNode) a.at("/portDefinitions/0/labels")).put("VIP_0", "/snapci")),
                appCase("VIP name without its slash", a -> ((ObjectNode) a.at("/portDefinitions/0/labels")).put("VIP_0", "snapci:80")),
                appCase("VIP on port 0", a -> ((ObjectNode) a.at("/portDefinitions/0/labels")).put("VIP_0", "/snapci:0")),
                appCase("VIP with upper case", a -> ((ObjectNode) a.at("/portDefinitions/0/labels")).put("VIP_0", "/SnapCI:80")),
                appCase("fetch cache as a string", a -> ((ObjectNode) a.at("/fetch/0")).put("cache", "true")),
                appCase("label that is not a string", a -> obj(a, "/labels").put("DCOS_SERVICE_PORT_INDEX", 0)),
                appCase("service port index past the ports", a -> obj(a, "/labels").put("DCOS_SERVICE_PORT_INDEX", "3")),
                appCase("service scheme ftp", a -> obj(a, "/labels").put("DCOS_SERVICE_SCHEME", "ftp")),
                appCase("port definition with a bad protocol",
                        a -> ((ObjectNode) a.at("/portDefinitions/0")).put("protocol", "sctp")),
                appCase("upgrade over capacity above 1", a -> obj(a, "/upgradeStrategy").put("maximumOverCapacity", 2)),
                appCase("single-instance app that keeps the old scheduler up during upgrades",
                        a -> obj(a, "/upgradeStrategy").put("minimumHealthCapacity", 1)),
                appCase("single-instance app with two instances", a -> a.put("instances", 2)),
                packageCase("package without upgradesFrom", p -> p.remove("upgradesFrom")),
                packageCase("package without minDcosReleaseVersion", p -> p.remove("minDcosReleaseVersion")),
                packageCase("packaging version 5.0", p -> p.put("packagingVersion", "5.0")),
                packageCase("version with a plus", p -> p.put("version", "1.0+build")),
                packageCase("tag with a space", p -> p.putArray("tags").add("cassandra testing")),
                packageCase("license without url", p -> ((ObjectNode) p.at("/licenses/0")).remove("url")),
                packageCase("license url that is not http", p -> ((ObjectNode) p.at("/licenses/0")).put("url", "ftp://x/y")),
                packageCase("field Universe does not know", p -> p.put("lastUpdated", 1)),
                resourceCase("CLI hash with md5", r -> ((ObjectNode) r.at("/cli/binaries/linux/x86-64/contentHash/0")).put("algo", "md5")),
                resourceCase("CLI kind tarball", r -> ((ObjectNode) r.at("/cli/binaries/linux/x86-64")).put("kind", "tarball")),
                resourceCase("CLI without hashes", r -> ((ObjectNode) r.at("/cli/binaries/linux/x86-64")).putArray("contentHash")),
                resourceCase("CLI for an unknown platform", r -> obj(r, "/cli/binaries").set("freebsd", r.at("/cli/binaries/linux"))),
                resourceCase("asset uri that is not a string", r -> obj(r, "/assets/uris").put("scheduler-tar-gz", 1)),
                resourceCase("unknown asset kind", r -> obj(r, "/assets").putObject("files")),
                resourceCase("docker image that is not a string", r -> obj(r, "/assets/container/docker").put("cassandra", 5)),
                resourceCase("icon size Universe does not know", r -> obj(r, "/images").put("icon-huge", "x.png")),
                resourceCase("icon that is not a string", r -> obj(r, "/images").put("icon-small", 48)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenDocuments")
    void areRejected(String what, JsonNode document, Function<JsonNode, List<String>> rules) {
        assertThat(rules.apply(document)).as(what).isNotEmpty();
    }
}
