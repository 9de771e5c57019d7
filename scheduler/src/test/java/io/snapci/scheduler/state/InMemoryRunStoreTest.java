package io.snapci.scheduler.state;

class InMemoryRunStoreTest extends RunStoreContract {

    @Override
    protected RunStore store() {
        return new InMemoryRunStore();
    }
}
