package io.snapci.cli.remote;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientKeysTest {

    @Test
    void gitlabJenkinsAndGithubJobsNameTheirRunsAndOtherShellsDoNot() {
        assertEquals(Optional.of("gitlab:shop/guestbook/4711"),
                ClientKeys.fromCi(Map.of("CI_JOB_ID", "4711", "CI_PROJECT_PATH", "shop/guestbook")));
        assertEquals(Optional.of("jenkins-shop_guestbook_tests-42"),
                ClientKeys.fromCi(Map.of("BUILD_TAG", "jenkins-shop guestbook tests-42")));
        assertEquals(Optional.of("github:shop/guestbook/991/2/test"), ClientKeys.fromCi(Map.of("GITHUB_RUN_ID", "991",
                "GITHUB_RUN_ATTEMPT", "2", "GITHUB_REPOSITORY", "shop/guestbook", "GITHUB_JOB", "test")));
        assertEquals(Optional.empty(), ClientKeys.fromCi(Map.of("HOME", "/root")));
    }

    @Test
    void aKeyTooLongForTheApiKeepsItsStartAndAHashOfTheWhole() {
        String a = ClientKeys.shape("jenkins-" + "x".repeat(200) + "-1");
        String b = ClientKeys.shape("jenkins-" + "x".repeat(200) + "-2");
        assertEquals(ClientKeys.MAX_LENGTH, a.length());
        assertTrue(a.startsWith("jenkins-xxx"), a);
        assertTrue(!a.equals(b), "different jobs, different keys");
        assertTrue(a.matches("[A-Za-z0-9][A-Za-z0-9_.:/@+-]{0,127}"), a);
        assertTrue(ClientKeys.shape("_odd").matches("[A-Za-z0-9].*"));
    }
}
