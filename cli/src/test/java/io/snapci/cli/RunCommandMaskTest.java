package io.snapci.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snapci.model.Json;
import io.snapci.model.RunSpec;
import io.snapci.model.mask.MaskRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code snapci run --mask FILE}: the file's rules go into the run spec a service receives, as docs/api.md has it. */
class RunCommandMaskTest {

    @TempDir
    Path dir;

    @Test
    void theRulesOfTheFileGoIntoTheRequest() throws Exception {
        Path rules = Files.writeString(dir.resolve("pii.rules"),
                "shop.users.email: email\ndelete shop.users where kind = 'test'\n");
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("--empty", "--test-cmd", "true", "--mask", rules.toString());
        ObjectNode request = run.remoteRequest(dir, Map.of());
        assertEquals(MaskRules.parse(Files.readString(rules)),
                Json.mapper().treeToValue(request.get("mask"), MaskRules.class));
        request.remove("clientKey");
        RunSpec spec = Json.mapper().treeToValue(request, RunSpec.class);
        assertEquals(1, spec.mask().rules().size());
        assertEquals("test", spec.mask().filters().get(0).value());
    }

    @Test
    void aRuleSetOfTheServiceIsNamedInTheRequestNextToTheFilesRules() throws Exception {
        Path rules = Files.writeString(dir.resolve("extra.rules"), "shop.users.name: name\n");
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("--empty", "--test-cmd", "true", "--mask-ruleset", "pii", "--mask",
                rules.toString());
        ObjectNode request = run.remoteRequest(dir, Map.of());
        MaskRules mask = Json.mapper().treeToValue(request.get("mask"), MaskRules.class);
        assertEquals("pii", mask.ruleSet());
        assertEquals(MaskRules.parse("shop.users.name: name\n").rules(), mask.rules());

        RunCommand alone = new RunCommand();
        new CommandLine(alone).parseArgs("--empty", "--test-cmd", "true", "--mask-ruleset", "pii");
        assertEquals("{\"rules\":[],\"filters\":[],\"ruleSet\":\"pii\"}",
                alone.remoteRequest(dir, Map.of()).get("mask").toString());
    }

    @Test
    void aRuleSetIsTheServicesSoALocalRunRefusesIt() {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("--empty", "--test-cmd", "true", "--mask-ruleset", "pii");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int exit = run.execute(new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
                new java.io.PrintStream(err, true));
        assertEquals(ExitCodes.USAGE, exit);
        assertTrue(err.toString().contains("--mask-ruleset names a rule set of a snapci service"), err.toString());
    }

    @Test
    void aBadRuleIsAUsageErrorNamingFileAndLine() throws Exception {
        Path rules = Files.writeString(dir.resolve("bad.rules"), "shop.users.email: email\nshop.users: hash\n");
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("--empty", "--test-cmd", "true", "--mask", rules.toString());
        Exception e = assertThrows(Exception.class, () -> run.remoteRequest(dir, Map.of()));
        assertTrue(e.getMessage().contains("bad.rules") && e.getMessage().contains("line 2"), e.getMessage());
    }
}
