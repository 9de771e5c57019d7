package io.snapci.model.mask;

import io.snapci.model.Json;
import io.snapci.model.RunSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaskRulesTest {

    @Test
    void aRuleSetIsNamedLikeItsFileNeverByAPath() {
        assertEquals("pii-2026.v1", MaskRules.ruleSet("pii-2026.v1").ruleSet());
        for (String bad : new String[]{"../pii", "pii rules", "", ".hidden", "a/b"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MaskRules.ruleSet(bad));
            assertTrue(e.getMessage().startsWith("mask.ruleSet '" + bad + "' is not a rule set's name"),
                    e.getMessage());
        }
        // Naming a set adds no rule by itself: the service adds the set's rules at submit.
        assertTrue(MaskRules.ruleSet("pii").isEmpty());
    }

    @Test
    void parsesRulesArgumentsCommentsAndRowFilters() {
        MaskRules rules = MaskRules.parse("""
                # people
                shop.users.email: email
                shop.users.note: keep-chars("')
                shop.users.name: redact(nobody)
                delete shop.users where kind = 'it''s a test'
                """);
        assertEquals(List.of(
                new MaskRule("shop", "users", "email", MaskTransform.EMAIL, null),
                new MaskRule("shop", "users", "note", MaskTransform.KEEP_CHARS, "\"'"),
                new MaskRule("shop", "users", "name", MaskTransform.REDACT, "nobody")), rules.rules());
        assertEquals(List.of(new RowFilter("shop", "users", "kind", "it's a test")), rules.filters());
        assertEquals(List.of("shop.users"), List.copyOf(rules.tables()));
        assertEquals("delete shop.users where kind = 'it''s a test'", rules.filters().get(0).describe());
    }

    @Test
    void namesTheLineOfAMistake() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MaskRules.parse("a.b.c: hash\na.b: hash\n"));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MaskRules.parse("a.b.c: scramble"));
        assertTrue(e.getMessage().contains("unknown masking transform 'scramble'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MaskRules.parse("a.b.c: hash\na.b.c: null"));
        assertTrue(e.getMessage().contains("a second rule for a.b.c"), e.getMessage());
    }

    @Test
    void coversOnlyWhenEveryRequiredRuleIsThereUnchanged() {
        MaskRules required = MaskRules.parse("a.b.c: hash");
        assertTrue(MaskRules.parse("a.b.c: hash\na.b.d: null").covers(required));
        assertFalse(MaskRules.parse("a.b.c: redact").covers(required));
        assertFalse(MaskRules.none().covers(required));
    }

    @Test
    void aSpecWithRulesSurvivesJson() throws Exception {
        RunSpec spec = new RunSpec(null, "true", null, null, null, null, null, null, null,
                MaskRules.parse("a.b.c: phone\ndelete a.b where d = 'x'"));
        String json = Json.mapper().writeValueAsString(spec);
        assertEquals(spec, Json.mapper().readValue(json, RunSpec.class));
        assertEquals(MaskRules.none(), Json.mapper().readValue(Json.mapper().writeValueAsString(
                new RunSpec(null, "true", null, null, null, null, null, null, null)), RunSpec.class).mask());
    }

    @Test
    void theHashIsKeyedAndDeterministic() {
        MaskHash a = MaskHash.ofSecret("a secret of sixteen+");
        assertEquals(a.hex("x@y.org"), MaskHash.ofSecret("a secret of sixteen+").hex("x@y.org"));
        assertFalse(a.hex("x@y.org").equals(MaskHash.ofSecret("another secret, 16+").hex("x@y.org")));
        assertFalse(a.toString().contains("secret"));
    }
}
