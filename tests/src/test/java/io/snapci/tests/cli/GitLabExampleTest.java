package io.snapci.tests.cli;

import io.snapci.tests.support.CliProcess;
import io.snapci.tests.support.LocalServe;
import io.snapci.tests.support.Snapci;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code examples/ci/.gitlab-ci.yml}'s test job, run as a GitLab runner runs it: its {@code variables} exported
 * (the project's CI/CD variables overriding them, as in GitLab), then its {@code script} lines, as they are in the
 * file, in bash, stopping at the first that fails. {@code dcos} is the installed snapci plugin behind a dcos CLI
 * stand-in, attached to a "cluster" that is a real serve behind an Admin Router stand-in. The project's variables
 * point the run at an empty Cassandra and a quick suite, since a local serve has no Portworx volume and no tests
 * image. The proxy cuts the run's first event stream after its first events, so the CLI must reconnect.
 */
class GitLabExampleTest {

    private static final String JOB = "test-on-production-data";
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);

    @TempDir
    Path dir;

    /** The guestbook's suite, standing in for `mvn -B test`: a passing Surefire report. */
    private static final String QUICK_SUITE = "mkdir -p target/surefire-reports && echo \"suite on $CASSANDRA_HOST\""
            + " && echo '<testsuite name=\"guestbook.GuestbookApiTest\" tests=\"2\" failures=\"0\">"
            + "<testcase classname=\"guestbook.GuestbookApiTest\" name=\"listsEntries\"/>"
            + "<testcase classname=\"guestbook.GuestbookApiTest\" name=\"signs\"/></testsuite>'"
            + " > target/surefire-reports/TEST-guestbook.GuestbookApiTest.xml";

    @Test
    @SuppressWarnings("unchecked")
    void theTestJobsScriptRunsThePipelinesTestsOnTheServiceAndLeavesTheirJUnitForGitLab() throws Exception {
        Map<String, Object> pipeline = new Yaml().load(Files.readString(
                Snapci.repoRoot().resolve("examples/ci/.gitlab-ci.yml")));
        Map<String, Object> job = (Map<String, Object>) pipeline.get(JOB);
        List<String> script = (List<String>) job.get("script");
        String junitReport = (String) ((Map<String, Object>) ((Map<String, Object>) job.get("artifacts"))
                .get("reports")).get("junit");
        Map<String, String> projectVariables = Map.of("SNAPCI_SOURCE", "--empty", "TEST_COMMAND", QUICK_SUITE);

        AcsTokens iam = new AcsTokens();
        Path checkout = Files.createDirectories(dir.resolve("builds/shop/guestbook"));
        try (LocalServe service = LocalServe.start(dir, Map.of("auth.dcos.publicKeyFile",
                iam.writePublicKey(dir.resolve("cluster-key.pem")).toString()));
             AdminRouterProxy adminRouter = AdminRouterProxy.start("snapci", service.baseUri())) {
            DcosPluginInstall plugin = DcosPluginInstall.into(dir);
            // Cut after the run and its first phases: the next stream repeats them, which must not print twice.
            adminRouter.cutNextEventStreamAfter(3);

            Map<String, String> env = new HashMap<>(Map.of(
                    "PATH", plugin.binDir + ":" + System.getenv("PATH"),
                    "JAVA_HOME", System.getProperty("java.home"),
                    "TEST_CLUSTER_URL", adminRouter.clusterUrl(),
                    "TEST_ACS_TOKEN", iam.token("gitlab-ci", Instant.now().plus(Duration.ofHours(1))),
                    "CI_PROJECT_DIR", checkout.toString(),
                    "CI_PROJECT_PATH", "shop/guestbook",
                    "CI_JOB_ID", "4711",
                    "CI_COMMIT_SHA", "3f9c2ab",
                    "CI_COMMIT_REF_SLUG", "feature-quotes",
                    "CI_REGISTRY_IMAGE", "registry.example/shop/guestbook"));
            env.putAll(projectVariables);
            CliProcess job4711 = CliProcess.start(new ProcessBuilder("bash", "-c",
                    runnerScript((Map<String, Object>) pipeline.get("variables"), projectVariables, script))
                    .directory(checkout.toFile()), CliProcess.scrubbedEnv(env));

            int exit = job4711.awaitExit(RUN_TIMEOUT);

            String output = job4711.output();
            assertThat(exit).as(output).isZero();
            assertThat(output).contains("snapci ", "(client key gitlab:shop/guestbook/4711)", "suite on 127.0.0.1",
                    "reconnecting", "tests: 2 passed, 0 failed", "PASSED", "copy deleted, exit code 0");
            for (String phase : List.of("queued", "snapshotting", "placing", "starting_cassandra", "testing")) {
                assertThat(occurrences(output, "] " + phase)).as(phase + " once, reconnected or not: " + output)
                        .isEqualTo(1);
            }
            assertThat(checkout.resolve(junitReport)).content().contains("<testsuites", "GuestbookApiTest");
            assertThat(adminRouter.forwarded()).anySatisfy(r -> assertThat(r).startsWith("POST /v1/runs "));
            assertThat(adminRouter.forwarded().stream().filter(r -> r.contains("/events")).count())
                    .as("event streams opened").isGreaterThanOrEqualTo(2);
            Matcher run = Pattern.compile("run (r[0-9a-z-]+) on ").matcher(output);
            assertThat(run.find()).isTrue();
            CliProcess labelled = CliProcess.start(dir, CliProcess.scrubbedEnv(Map.of("SNAPCI_URL",
                    service.baseUri().toString(), "SNAPCI_TOKEN", iam.token("ops", Instant.now().plusSeconds(600)))),
                    "list", "--label", "branch=feature-quotes");
            assertThat(labelled.awaitExit(Duration.ofSeconds(60))).as(labelled.output()).isZero();
            assertThat(labelled.output()).contains(run.group(1), "PASSED");
        }
    }

    /**
     * The job's shell as a GitLab runner makes it: the pipeline's variables exported (GitLab expands references to
     * other variables, as bash does here) unless the project overrides them, then the script lines, stopping at the
     * first that fails.
     */
    private static String runnerScript(Map<String, Object> variables, Map<String, String> overridden,
                                       List<String> script) {
        StringBuilder shell = new StringBuilder("set -eo pipefail\n");
        variables.forEach((name, value) -> {
            if (!overridden.containsKey(name)) {
                shell.append("export ").append(name).append("=\"")
                        .append(String.valueOf(value).replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
            }
        });
        script.forEach(line -> shell.append(line).append('\n'));
        return shell.toString();
    }

    private static int occurrences(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }
}
