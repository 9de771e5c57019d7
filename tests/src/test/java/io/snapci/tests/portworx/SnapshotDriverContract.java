package io.snapci.tests.portworx;

import io.snapci.model.Source;
import io.snapci.scheduler.core.storage.Clone;
import io.snapci.scheduler.core.storage.SnapshotDriver;
import io.snapci.scheduler.core.storage.StorageException;
import io.snapci.scheduler.core.storage.StorageException.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link SnapshotDriver} promises, run against each driver: the local directory driver and the Portworx
 * driver on the SDK peer. A subclass gives the driver and its kinds of sources.
 */
abstract class SnapshotDriverContract {

    abstract SnapshotDriver driver();

    /** A source this driver can copy. */
    abstract Source source();

    /** A source of the right kind that does not exist. */
    abstract Source missingSource();

    /** A source of the other driver's kind. */
    abstract Source wrongKindSource();

    /** A copy record that points at the source itself, as a bug or a tampered store could produce. */
    abstract Clone forgedCloneOfSource(String runId);

    /** Everything about the source that must never change, as text. */
    abstract String sourceState() throws Exception;

    @Test
    void aCopyIsListedWithItsRunDeletedOnceAndDeletingAgainSucceeds() throws Exception {
        String before = sourceState();
        Clone clone = driver().createClone("r1", source());
        assertThat(clone.runId()).isEqualTo("r1");
        assertThat(clone.dataTakenAt()).isNotNull();
        assertThat(clone.description()).isNotBlank();
        assertThat(driver().listClones()).extracting(Clone::id).containsExactly(clone.id());
        assertThat(driver().listClones()).extracting(Clone::runId).containsExactly("r1");

        driver().deleteClone(clone);
        assertThat(driver().listClones()).isEmpty();
        driver().deleteClone(clone);
        assertThat(sourceState()).isEqualTo(before);
    }

    @Test
    void noSourceMakesAnEmptyCopy() throws Exception {
        Clone clone = driver().createClone("r2", null);
        assertThat(clone.source()).isNull();
        assertThat(driver().listClones()).extracting(Clone::runId).containsExactly("r2");
        driver().deleteClone(clone);
        assertThat(driver().listClones()).isEmpty();
    }

    @Test
    void aSecondCopyForTheSameRunIsAConflictAndLeavesTheFirst() throws Exception {
        Clone first = driver().createClone("r3", source());
        assertThatThrownBy(() -> driver().createClone("r3", source()))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONFLICT));
        assertThat(driver().listClones()).extracting(Clone::id).containsExactly(first.id());
        driver().deleteClone(first);
    }

    @Test
    void aMissingSourceIsSourceNotFoundAndLeavesNothing() {
        assertThatThrownBy(() -> driver().createClone("r4", missingSource()))
                .isInstanceOfSatisfying(StorageException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.SOURCE_NOT_FOUND));
        assertThatNoCopies();
    }

    @Test
    void aSourceOfTheOtherKindIsInvalidWithAMessageThatSaysWhatToDo() {
        assertThatThrownBy(() -> driver().createClone("r5", wrongKindSource()))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID_SOURCE);
                    assertThat(e.getMessage()).containsAnyOf("use the", "give the", "Portworx");
                });
        assertThatNoCopies();
    }

    @Test
    void aCopyRecordPointingAtTheSourceIsRefusedAndTheSourceStays() throws Exception {
        String before = sourceState();
        Clone made = driver().createClone("r6", source());
        assertThatThrownBy(() -> driver().deleteClone(forgedCloneOfSource("r6")))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.REFUSED));
        driver().deleteClone(made);
        assertThat(sourceState()).isEqualTo(before);
    }

    @Test
    void aRunIdThatCannotNameACopyIsRefused() {
        assertThatThrownBy(() -> driver().createClone("../etc", source()))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.REFUSED));
        assertThatNoCopies();
    }

    private void assertThatNoCopies() {
        try {
            assertThat(driver().listClones()).isEmpty();
        } catch (StorageException e) {
            throw new AssertionError(e);
        }
    }
}
