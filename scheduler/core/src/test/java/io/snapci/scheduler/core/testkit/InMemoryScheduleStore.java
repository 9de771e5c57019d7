package io.snapci.scheduler.core.testkit;

import io.snapci.scheduler.core.schedule.ScheduleStore;
import io.snapci.scheduler.core.schedule.ScheduleState;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** Schedules for one process's lifetime: tests, and a scheduler that does not keep state. */
public final class InMemoryScheduleStore implements ScheduleStore {

    private final Map<String, ScheduleState> states = new ConcurrentSkipListMap<>();

    @Override
    public void save(ScheduleState state) {
        states.put(state.schedule().name(), state);
    }

    @Override
    public void delete(String scheduleName) {
        states.remove(scheduleName);
    }

    @Override
    public List<ScheduleState> list() {
        return List.copyOf(states.values());
    }
}
