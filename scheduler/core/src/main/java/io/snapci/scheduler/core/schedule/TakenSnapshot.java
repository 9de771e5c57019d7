package io.snapci.scheduler.core.schedule;

import java.time.Instant;

/**
 * A snapshot snapci's schedules took (or a run took for itself), as listed for people and the API.
 *
 * @param schedule the schedule it belongs to, or null for a run's own snapshot
 * @param run      the run it was taken for, or null for a scheduled one
 */
public record TakenSnapshot(String id, String name, String sourceVolume, String schedule, String run,
                            Instant createdAt) {
}
