package io.snapci.scheduler.core.state;

import io.snapci.scheduler.core.testkit.InMemoryRunStore;

import io.snapci.scheduler.core.testkit.RunStoreContract;

class InMemoryRunStoreTest extends RunStoreContract {

    @Override
    protected RunStore store() {
        return new InMemoryRunStore();
    }
}
