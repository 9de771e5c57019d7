package io.snapci.scheduler.state;

class InMemoryFrameworkIdStoreTest extends FrameworkIdStoreContract {

    private final InMemoryFrameworkIdStore store = new InMemoryFrameworkIdStore();

    @Override
    protected FrameworkIdStore store() {
        return store;
    }
}
