package io.snapci.scheduler.portworx;

import io.snapci.scheduler.portworx.sdk.Volume;
import io.snapci.scheduler.portworx.sdk.VolumeLocator;
import io.snapci.scheduler.portworx.sdk.VolumeSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The ownership proof's rules, one volume shape at a time (the flows are in tests/…/portworx). */
class VolumeProofTest {

    private final VolumeProof proof = new VolumeProof(new VolumeNames("snapci"));
    private final Map<String, Volume> volumes = new HashMap<>();
    private final VolumeProof.Lookup lookup = id -> Optional.ofNullable(volumes.get(id));

    private final Volume source = put(volume("src", "cassandra-prod", null, false, Map.of("app", "shop")));
    private final Volume runSnap = put(volume("s1", "snapci-r1-snap", "src", true, Map.of("app", "shop",
            Labels.CREATED_BY, "snapci", Labels.KIND, "snapshot", Labels.RUN, "r1", Labels.SOURCE, "src")));
    private final Volume runClone = put(volume("c1", "snapci-r1", "s1", false, Map.of(Labels.CREATED_BY, "snapci",
            Labels.KIND, "clone", Labels.RUN, "r1", Labels.SOURCE, "src", Labels.SNAPSHOT, "s1")));

    @Test
    void snapcisOwnSnapshotAndCloneAreProven() throws Exception {
        assertThat(proof.whyNotSnapshot(runSnap)).isNull();
        assertThat(proof.whyNotClone(runClone, "r1", lookup)).isNull();
        assertThat(proof.whyNotClone(runClone, "r2", lookup)).contains("belongs to run r1");
    }

    @Test
    void aGroupSnapshotIsProvenByItsRunsGroupLabelWhateverTheDriverNamedIt() {
        Map<String, String> labels = new HashMap<>(runSnap.labels());
        labels.put(Labels.GROUP, "snapci-r1-group");
        labels.put(Labels.NODE, "2");
        assertThat(proof.whyNotSnapshot(volume("g2", "snapci-r1-group-src", "src", true, labels))).isNull();
        labels.put(Labels.GROUP, "snapci-r9-group");
        assertThat(proof.whyNotSnapshot(volume("g3", "whatever", "src", true, labels))).contains("group label");
        Map<String, String> unlabelled = new HashMap<>(labels);
        unlabelled.put(Labels.GROUP, "snapci-r1-group");
        unlabelled.remove(Labels.SOURCE); // as the group request left it, before labelGroupSnapshot
        assertThat(proof.whyNotSnapshot(volume("g4", "x", "src", true, unlabelled))).contains("is not the source");
    }

    @Test
    void aFurtherNodesCloneIsNamedForItsNodeAndItsRun() throws Exception {
        Map<String, String> labels = new HashMap<>(runClone.labels());
        labels.put(Labels.NODE, "3");
        assertThat(proof.whyNotClone(volume("c3", "snapci-r1-node-3", "s1", false, labels), "r1", lookup)).isNull();
        assertThat(proof.whyNotClone(volume("c4", "snapci-r1-node-2", "s1", false, labels), "r1", lookup))
                .contains("snapci-r1-node-3");
        assertThat(proof.whyNotClone(volume("c5", "snapci-r1", "s1", false, labels), "r1", lookup))
                .contains("of node 3");
        VolumeNames names = new VolumeNames("snapci");
        assertThat(names.runOfCloneName("snapci-r1-node-3")).isEqualTo("r1");
        assertThat(names.runOfCloneName("snapci-r1")).isEqualTo("r1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> VolumeNames.checkRunId("a-node-2"))
                .hasMessageContaining("-node-");
    }

    @Test
    void aUsersCloneOfSnapcisCloneInheritsItsLabelsButNotItsNameOrParent() throws Exception {
        Volume users = volume("u1", "analytics", "c1", false, runClone.labels());
        assertThat(proof.whyNotClone(users, null, lookup)).contains("name analytics");
        Volume renamed = volume("u2", "snapci-r1", "c1", false, runClone.labels());
        assertThat(proof.whyNotClone(renamed, null, lookup)).contains("parent c1 is not s1");
    }

    @Test
    void aUsersCloneOfSnapcisSnapshotIsNeitherASnapshotNorAClone() throws Exception {
        Volume users = volume("u1", "reporting", "s1", false, runSnap.labels());
        assertThat(proof.whyNotSnapshot(users)).contains("writable");
        assertThat(proof.whyNotClone(users, null, lookup)).contains("lacks snapci's labels");
        assertThat(proof.whyNotAdoptable(users, "r1", lookup)).isNotNull();
    }

    @Test
    void aUsersSnapshotOfSnapcisCloneIsNotSnapcisSnapshot() {
        Volume users = volume("u1", "analytics-snap", "c1", true, runClone.labels());
        assertThat(proof.whyNotSnapshot(users)).contains("lacks snapci's labels");
        Volume relabelled = volume("u2", "snapci-r1-snap", "c1", true, runSnap.labels());
        assertThat(proof.whyNotSnapshot(relabelled)).contains("is not the source");
    }

    @Test
    void aCloneOfAScheduledSnapshotStillCarryingItsScheduleLabelIsNotProvenButAdoptable() throws Exception {
        put(volume("sch", "snapci-sched-hourly-3600", "src", true, Map.of(Labels.CREATED_BY, "snapci",
                Labels.KIND, "snapshot", Labels.SCHEDULE, "hourly", Labels.SOURCE, "src")));
        Map<String, String> labels = new HashMap<>(runClone.labels());
        labels.put(Labels.SNAPSHOT, "sch");
        labels.put(Labels.RUN, "r2");
        labels.put(Labels.SCHEDULE, "hourly");
        Volume clone = volume("c2", "snapci-r2", "sch", false, Map.copyOf(labels));
        assertThat(proof.whyNotClone(clone, "r2", lookup)).contains("inherited");
        assertThat(proof.whyNotAdoptable(clone, "r2", lookup)).isNull();
        assertThat(proof.whyNotAdoptable(clone, "r3", lookup)).isNotNull();
    }

    @Test
    void aCloneWhoseParentIsGoneIsProvenByNameKindAndLabels() throws Exception {
        volumes.remove("s1");
        assertThat(proof.whyNotClone(runClone, "r1", lookup)).isNull();
        Volume inheritedOnly = volume("c3", "snapci-r3", "gone", false, Map.of(Labels.CREATED_BY, "snapci",
                Labels.KIND, "snapshot", Labels.RUN, "r3", Labels.SOURCE, "src"));
        assertThat(proof.whyNotAdoptable(inheritedOnly, "r3", lookup)).isNull();
        assertThat(proof.whyNotAdoptable(inheritedOnly, "r4", lookup)).isNotNull();
    }

    @Test
    void anEmptyVolumeHasNoParentAndALookAlikeWithAMadeUpSnapshotIsRefused() throws Exception {
        Volume empty = volume("e1", "snapci-r5", null, false, Map.of(Labels.CREATED_BY, "snapci", Labels.KIND,
                "clone", Labels.RUN, "r5"));
        assertThat(proof.whyNotClone(empty, "r5", lookup)).isNull();
        Volume fake = volume("e2", "snapci-r6", null, false, Map.of(Labels.CREATED_BY, "snapci", Labels.KIND,
                "clone", Labels.RUN, "r6", Labels.SNAPSHOT, "12345"));
        assertThat(proof.whyNotClone(fake, "r6", lookup)).contains("parent null");
    }

    @Test
    void aBaseCopyAndARunsCloneOfItAreProvenThroughTheirParents() throws Exception {
        put(volume("bs", "snapci-base-shop-3600-snap", "src", true, Map.of(Labels.CREATED_BY, "snapci",
                Labels.KIND, "snapshot", Labels.BASE, "shop", Labels.SOURCE, "src")));
        Volume base = put(volume("b1", "snapci-base-shop-3600", "bs", false, Map.of(Labels.CREATED_BY, "snapci",
                Labels.KIND, "base", Labels.BASE, "shop", Labels.SOURCE, "src", Labels.SNAPSHOT, "bs")));
        Volume run = volume("c7", "snapci-r7", "b1", false, Map.of(Labels.CREATED_BY, "snapci", Labels.KIND,
                "clone", Labels.RUN, "r7", Labels.SOURCE, "src", Labels.BASE_COPY, "b1"));
        assertThat(proof.whyNotBaseCopy(base, "shop", lookup)).isNull();
        assertThat(proof.whyNotClone(run, "r7", lookup)).isNull();
        Volume usersCopy = volume("u9", "users-copy", "b1", false, base.labels());
        assertThat(proof.whyNotBaseCopy(usersCopy, null, lookup)).contains("name users-copy");
        Volume wrongSource = volume("c8", "snapci-r8", "b1", false, Map.of(Labels.CREATED_BY, "snapci", Labels.KIND,
                "clone", Labels.RUN, "r8", Labels.SOURCE, "other", Labels.BASE_COPY, "b1"));
        assertThat(proof.whyNotClone(wrongSource, "r8", lookup)).contains("differs");
    }

    private Volume put(Volume v) {
        volumes.put(v.id(), v);
        return v;
    }

    private static Volume volume(String id, String name, String parent, boolean readonly, Map<String, String> labels) {
        return new Volume(id, parent == null ? null : new VolumeSource(parent), readonly, new VolumeLocator(name,
                labels), Instant.parse("2026-12-03T07:00:00Z"), null, null, null, null);
    }
}
