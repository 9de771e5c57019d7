package io.snapci.scheduler.core.testkit;

import io.snapci.scheduler.core.state.FrameworkIdStore;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every FrameworkIdStore does; run against each implementation. */
public abstract class FrameworkIdStoreContract {

    /** An empty store; each call in one test returns a store over the same place, as a restarted scheduler sees. */
    protected abstract FrameworkIdStore store();

    @Test
    void holdsNoIdBeforeTheFirstSave() {
        assertThat(store().load()).isEmpty();
    }

    @Test
    void loadsWhatWasSavedAndASaveReplacesIt() {
        FrameworkIdStore store = store();
        store.save("4c6c2a15-3b8e-4c9a-9a7e-8d0c2c1f2d11-0001");
        assertThat(store.load()).contains("4c6c2a15-3b8e-4c9a-9a7e-8d0c2c1f2d11-0001");
        store.save("4c6c2a15-3b8e-4c9a-9a7e-8d0c2c1f2d11-0002");
        assertThat(store.load()).contains("4c6c2a15-3b8e-4c9a-9a7e-8d0c2c1f2d11-0002");
    }

    @Test
    void aClearForgetsTheIdAndTheNextSaveStartsOver() {
        FrameworkIdStore store = store();
        store.save("fw-1");
        store.clear();
        assertThat(store.load()).isEmpty();
        store.clear(); // nothing to forget: still fine
        store.save("fw-2");
        assertThat(store.load()).contains("fw-2");
    }

    @Test
    void aRestartedSchedulerLoadsTheSavedId() {
        store().save("fw-1");
        assertThat(store().load()).contains("fw-1");
    }

    @Test
    void aBlankIdIsRefused() {
        FrameworkIdStore store = store();
        assertThatThrownBy(() -> store.save(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.load()).isEmpty();
    }
}
