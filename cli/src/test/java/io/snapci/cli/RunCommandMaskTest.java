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
    void aBadRuleIsAUsageErrorNamingFileAndLine() throws Exception {
        Path rules = Files.writeString(dir.resolve("bad.rules"), "shop.users.email: email\nshop.users: hash\n");
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("--empty", "--test-cmd", "true", "--mask", rules.toString());
        Exception e = assertThrows(Exception.class, () -> run.remoteRequest(dir, Map.of()));
        assertTrue(e.getMessage().contains("bad.rules") && e.getMessage().contains("line 2"), e.getMessage());
    }
}
