package io.snapci.scheduler.core.state;

import io.snapci.scheduler.core.testkit.InMemoryFrameworkIdStore;

import io.snapci.scheduler.core.testkit.FrameworkIdStoreContract;

class InMemoryFrameworkIdStoreTest extends FrameworkIdStoreContract {

    private final InMemoryFrameworkIdStore store = new InMemoryFrameworkIdStore();

    @Override
    protected FrameworkIdStore store() {
        return store;
    }
}
