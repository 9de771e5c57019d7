package io.snapci.server.runs;

import io.snapci.model.RunSpec;

/**
 * What a run spec must be for the mode serve runs in (local mode copies directories and runs commands here, a
 * cluster mounts volumes): checked before anything is created. Throws {@link io.snapci.server.ApiProblem} naming
 * the field.
 */
public interface SpecRules {

    void check(RunSpec spec);
}
