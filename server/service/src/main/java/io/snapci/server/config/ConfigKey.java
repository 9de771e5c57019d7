package io.snapci.server.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Every key {@code snapci serve} understands. The same key is written {@code http.port} in the configuration file
 * and in {@code --set http.port=8484}, and {@code SNAPCI_HTTP_PORT} in the environment (camel case becomes
 * underscores). A key nobody knows is an error in a file or a flag; in the environment it is ignored, because the
 * environment also carries variables meant for other programs (SNAPCI_CASSANDRA_LIB, SNAPCI_HOME).
 */
public enum ConfigKey {
    MODE("mode", "local", "local (one machine: directory copies, local processes, file store) or mesos"),
    HTTP_HOST("http.host", "127.0.0.1", "address to listen on; 0.0.0.0 in a Marathon app"),
    HTTP_PORT("http.port", "8484", "port to listen on; 0 picks a free one ($PORT0 in a Marathon app)"),
    RUNS_MAX_CONCURRENT("runs.maxConcurrent", "2", "runs executed at once; the others wait in QUEUED"),
    RUNS_MAX_QUEUED("runs.maxQueued", "100", "runs that may wait in QUEUED; past that POST /v1/runs answers 429"),
    RUNS_RETENTION_MAX_AGE("runs.retention.maxAge", "30d", "ended runs are deleted (record, logs, files) this long "
            + "after they ended"),
    RUNS_RETENTION_MAX_COUNT("runs.retention.maxCount", "10000", "ended runs are deleted once this many newer runs "
            + "are stored (1-30000: a ZooKeeper listing holds about 40,000)"),
    RUNS_RETENTION_INTERVAL("runs.retention.interval", "10m", "how often ended runs past maxAge or maxCount are "
            + "deleted"),
    AUDIT_RETENTION("audit.retention", "90d", "audit entries older than this are deleted (checked every "
            + "runs.retention.interval)"),
    SHUTDOWN_TIMEOUT("shutdown.timeout", "60s", "how long a graceful shutdown waits for cancelled runs to clean up"),
    LOCAL_WORK_ROOT("local.workRoot", null, "local mode: copies, logs and run records ($SNAPCI_HOME or ~/.snapci)"),
    MASKING_RULES_DIR("masking.rulesDir", null, "a directory of named masking rule sets, NAME.rules each "
            + "(docs/masking.md)"),
    MASKING_RULE_SETS("masking.ruleSets", null, "named masking rule sets in one value: a line [NAME] starts each, "
            + "its rules follow (the package's masking.rule_sets); a name may not also be in masking.rulesDir"),
    MASKING_HASH_KEY_FILE("masking.hashKeyFile", null, "a file holding the HMAC key of the hash and fake "
            + "transforms (at least 16 bytes): masked values are then the same in every run; unset: a random key "
            + "per run"),
    MASKING_HASH_KEY_SECRET("masking.hashKeySecret", null, "mesos mode: the DC/OS secret (e.g. snapci/mask-key, "
            + "at least 16 bytes) every masked run's node takes the hash and fake transforms' key from, so masked "
            + "values are the same in every cluster run; it reaches the cassandra task as a file-based secret, never "
            + "through snapci; unset: a random key per run"),
    MASKING_REQUIRED("masking.required", null, "comma-separated SOURCE=RULESET: a run against SOURCE (its data "
            + "directory or volume name; * for every source) must carry every rule of RULESET, or it is refused"),
    LOCAL_WORK_DIR("local.workDir", null, "local mode: where a run's test command runs when its spec has no workDir "
            + "(default: the directory serve was started in)"),
    AUTH_TOKENS("auth.tokens", null, "comma-separated bearer tokens that may do everything"),
    AUTH_TOKENS_FILE("auth.tokensFile", null, "a file of such tokens, one a line (keeps them out of ps and env dumps)"),
    AUTH_READ_ONLY_TOKENS("auth.readOnlyTokens", null, "comma-separated bearer tokens that may only read (GET)"),
    AUTH_DCOS_PUBLIC_KEY_FILE("auth.dcos.publicKeyFile", null,
            "PEM public key of the DC/OS cluster: ACS tokens signed with it (RS256) are accepted"),
    AUTH_DCOS_ALLOWED_UIDS("auth.dcos.allowedUids", null,
            "comma-separated ACS uids allowed in; empty means every uid the cluster signed for"),
    MESOS_MASTER("mesos.master", null, "mesos mode: the master's URL, e.g. http://leader.mesos:5050"),
    ZK_URL("zk.url", null, "mesos mode: where run state lives, e.g. zk://zk-1.zk:2181/snapci"),
    ZK_SESSION_TIMEOUT("zk.sessionTimeout", "30s", "mesos mode: how long ZooKeeper keeps this scheduler's session "
            + "(and its leader lock) while it cannot be reached; a standby takes over after it"),
    MESOS_FRAMEWORK_NAME("mesos.frameworkName", "snapci", "mesos mode: the framework's name in the Mesos UI"),
    MESOS_ROLE("mesos.role", "snapci", "mesos mode: the role offers come from"),
    MESOS_PRINCIPAL("mesos.principal", "snapci", "mesos mode: the framework's principal"),
    MESOS_USER("mesos.user", "nobody", "mesos mode: the user tasks run as"),
    MESOS_EXECUTOR_URI("mesos.executorUri", null, "mesos mode: where agents fetch snapci's executor bundle from"),
    MESOS_FAILOVER_TIMEOUT("mesos.failoverTimeout", "7d", "mesos mode: how long the master keeps the framework's "
            + "tasks while no scheduler is subscribed (a restarted scheduler takes them over within it)"),
    MESOS_VOLUME_DRIVER("mesos.volumeDriver", "pxd", "mesos mode: the docker volume driver that mounts a run's "
            + "copy (pxd: Portworx)"),
    EXECUTOR_CPUS("executor.cpus", "0.1", "mesos mode: cpus of the default executor that runs a task group"),
    EXECUTOR_MEM("executor.mem", "32", "mesos mode: memory (MB) of the default executor"),
    EXECUTOR_DISK("executor.disk", "512", "mesos mode: sandbox disk (MB) of a task group: where disk quotas are "
            + "enforced the tasks' sandboxes count against it, and each task fetches and unpacks snapci's executor "
            + "bundle (47 MB archive, 65 MB unpacked) and writes its logs there"),
    MESOS_SERVICE_ACCOUNT_CREDENTIAL("mesos.serviceAccountCredential", null, "mesos mode, DC/OS strict: the service "
            + "account secret as JSON {uid, private_key, login_endpoint}"),
    PORTWORX_ENDPOINT("portworx.endpoint", null, "mesos mode: the OpenStorage SDK REST endpoint, e.g. "
            + "http://portworx-api.kube-system:9021"),
    PORTWORX_VOLUME_API("portworx.volumeApi", null, "mesos mode: OpenStorage's volume REST API, e.g. "
            + "http://portworx-api.kube-system:9001, for the group snapshot that copies a cluster of volumes as one cut"
            + " (the SDK endpoint has none); unset, it is asked at portworx.endpoint, and where it is not served the"
            + " volumes are snapshotted one after the other, the spread recorded"),
    PORTWORX_TOKEN("portworx.token", null, "mesos mode: bearer token for a secured Portworx"),
    PORTWORX_CA_FILE("portworx.caFile", null, "mesos mode: PEM file of the CA that signed Portworx's TLS certificate, "
            + "trusted besides the JDK's CAs and the cluster's ($MESOS_SANDBOX/.ssl/ca-bundle.crt in DC/OS strict mode)"),
    TLS_CA_FILE("tls.caFile", null, "mesos mode: PEM file of a CA the Mesos master, the agents and the DC/OS login are "
            + "trusted with over https, besides the JDK's CAs and the cluster's ($MESOS_SANDBOX/.ssl/ca-bundle.crt, "
            + "always trusted when DC/OS puts it there)"),
    PORTWORX_CLONE_COS("portworx.cloneCos", "LOW", "mesos mode: io priority of clones: LOW, MEDIUM or HIGH"),
    PORTWORX_CI_NODE_LABELS("portworx.ciNodeLabels", null, "mesos mode: k=v,... labels of the CI tier's storage "
            + "nodes, where clone replicas go"),
    PORTWORX_CI_POOL_LABELS("portworx.ciPoolLabels", null, "mesos mode: k=v,... labels of the CI tier's pools"),
    PORTWORX_GC_GRACE("portworx.gcGrace", "1h", "mesos mode: how long a clone of an ended or unknown run is kept"),
    PLACEMENT_REQUIRED_ATTRIBUTES("placement.requiredAttributes", "tier:ci", "mesos mode: name:value,... agent "
            + "attributes a run's agent must have"),
    CASSANDRA_IMAGE("cassandra.image", "cassandra:5.0", "mesos mode: the Cassandra container image"),
    CASSANDRA_CLASS_ARCHIVE_HOST_PATH("cassandra.classArchiveHostPath", null, "mesos mode: an absolute directory on "
            + "the CI agents (a HOST_PATH volume: it must exist, or be allowed by the agents' "
            + "--host_path_volume_force_creation) where each agent keeps the node's class-data archive across runs; "
            + "unset: every run's node starts without one"),
    CASSANDRA_TASK_USER("cassandra.taskUser", "root", "mesos mode: the user a run's Cassandra task starts as; root "
            + "lets snapci's node launcher run Cassandra as the uid that owns the copy's files, without a chown"),
    CASSANDRA_CPUS("cassandra.cpus", "1", "mesos mode: cpus of a run's Cassandra task"),
    CASSANDRA_MEM("cassandra.mem", "2048", "mesos mode: memory (MB) of a run's Cassandra task"),
    TESTS_CPUS("tests.cpus", "1", "mesos mode: cpus of a run's tests task"),
    TESTS_MEM("tests.mem", "1024", "mesos mode: memory (MB) of a run's tests task"),
    RUNS_READY_TIMEOUT("runs.readyTimeout", "3m", "default time Cassandra has to answer CQL, for specs that give "
            + "none"),
    RUNS_TEST_TIMEOUT("runs.testTimeout", "60m", "default time the test command may take, for specs that give none"),
    RUNS_RUN_TIMEOUT("runs.runTimeout", "90m", "default longest a run may take from its first placement, for specs "
            + "that give none"),
    MESOS_LAUNCH_TIMEOUT("mesos.launchTimeout", "10m", "mesos mode: how long a run's tasks may take to start (image "
            + "pull, bundle fetch, volume mount: TASK_STAGING or TASK_STARTING) before the attempt is given up and "
            + "tried on another agent"),
    RUNS_MAX_ATTEMPTS("runs.maxAttempts", "3", "mesos mode: placements of a run before an infrastructure loss "
            + "ends it ERROR"),
    SNAPSHOTS_SCHEDULES("snapshots.schedules", null, "mesos mode: one schedule a line, "
            + "name;volume;every 1h|cron 0 3 * * *;keepLast;maxAge"),
    PORTWORX_BASE_COPIES("portworx.baseCopies", null, "mesos mode: CI-tier base copies, one a line, "
            + "name;volume;every 1h;keep");

    private final String key;
    private final String defaultValue;
    private final String description;

    ConfigKey(String key, String defaultValue, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public String description() {
        return description;
    }

    /** {@code runs.maxConcurrent} → {@code SNAPCI_RUNS_MAX_CONCURRENT}. */
    public String envName() {
        return "SNAPCI_" + key.replaceAll("([a-z])([A-Z])", "$1_$2").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** Whether the value is a credential, to be shown as "(set)" and never printed. */
    public boolean isSecret() {
        return this == AUTH_TOKENS || this == AUTH_READ_ONLY_TOKENS || this == MESOS_SERVICE_ACCOUNT_CREDENTIAL
                || this == PORTWORX_TOKEN;
    }

    public static Optional<ConfigKey> byKey(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }

    public static String knownKeys() {
        return String.join(", ", Arrays.stream(values()).map(ConfigKey::key).toList());
    }
}
