package io.snapci.server.config;

import io.snapci.model.Timeouts;
import io.snapci.model.SnapciHome;
import io.snapci.model.tls.ClusterTrust;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Reads the configuration in layers, each overriding the one before: built-in defaults, the configuration file
 * (Java properties: {@code http.port=8484}), the environment ({@code SNAPCI_HTTP_PORT}), the command line
 * ({@code --set http.port=8484}). Every error names the key and the layer the bad value came from.
 */
public final class ServeConfigLoader {

    private final Map<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
    private final Map<ConfigKey, String> origins = new EnumMap<>(ConfigKey.class);
    /** The CA bundle DC/OS put into the sandbox, found through the environment's MESOS_SANDBOX. */
    private Path clusterCaBundle;

    private ServeConfigLoader() {
        for (ConfigKey key : ConfigKey.values()) {
            key.defaultValue().ifPresent(v -> put(key, v, "the default"));
        }
    }

    /**
     * @param file  the configuration file, or null for none
     * @param env   the process environment (only SNAPCI_* variables of known keys are read)
     * @param flags {@code --set} pairs from the command line
     */
    public static ServeConfig load(Path file, Map<String, String> env, Map<String, String> flags) {
        ServeConfigLoader loader = new ServeConfigLoader();
        loader.clusterCaBundle = ClusterTrust.sandboxBundle(env).orElse(null);
        if (file != null) {
            loader.readFile(file);
        }
        for (ConfigKey key : ConfigKey.values()) {
            String value = env.get(key.envName());
            if (value != null) {
                loader.put(key, value, "environment variable " + key.envName());
            }
        }
        flags.forEach((name, value) -> loader.put(known(name, "--set " + name), value, "--set " + name));
        return loader.build();
    }

    private void readFile(Path file) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException e) {
            throw new ConfigException("cannot read the configuration file " + file + ": " + e.getMessage(), e);
        }
        for (String name : props.stringPropertyNames()) {
            put(known(name, file.toString()), props.getProperty(name), file.toString());
        }
    }

    private static ConfigKey known(String name, String where) {
        return ConfigKey.byKey(name).orElseThrow(() -> new ConfigException(
                "unknown configuration key '" + name + "' in " + where + "; known keys: " + ConfigKey.knownKeys()));
    }

    private void put(ConfigKey key, String value, String origin) {
        values.put(key, value.strip());
        origins.put(key, origin);
    }

    private ServeConfig build() {
        ServeConfig.Mode mode = switch (text(ConfigKey.MODE).toLowerCase(Locale.ROOT)) {
            case "local" -> ServeConfig.Mode.LOCAL;
            case "mesos" -> ServeConfig.Mode.MESOS;
            default -> throw invalid(ConfigKey.MODE, "expected local or mesos");
        };
        Path workRoot = optional(ConfigKey.LOCAL_WORK_ROOT) == null ? SnapciHome.defaultWorkRoot()
                : Path.of(optional(ConfigKey.LOCAL_WORK_ROOT));
        Path workDir = Path.of(optional(ConfigKey.LOCAL_WORK_DIR) == null ? "" : optional(ConfigKey.LOCAL_WORK_DIR));
        AuthConfig auth = new AuthConfig(tokens(), list(ConfigKey.AUTH_READ_ONLY_TOKENS),
                optional(ConfigKey.AUTH_DCOS_PUBLIC_KEY_FILE) == null ? null
                        : Path.of(optional(ConfigKey.AUTH_DCOS_PUBLIC_KEY_FILE)),
                list(ConfigKey.AUTH_DCOS_ALLOWED_UIDS));
        if (mode == ServeConfig.Mode.MESOS && optional(ConfigKey.MASKING_HASH_KEY_FILE) != null) {
            // A key the agents' nodes never receive would be a setting that silently does nothing: each cluster
            // run's node draws its own key (docs/masking.md), so masked values differ between cluster runs.
            throw invalid(ConfigKey.MASKING_HASH_KEY_FILE, "is for local mode: a cluster run's node is on an agent "
                    + "that cannot read serve's files; put the key into a DC/OS secret and name it in "
                    + ConfigKey.MASKING_HASH_KEY_SECRET.key() + " instead (docs/masking.md)");
        }
        if (mode == ServeConfig.Mode.LOCAL && optional(ConfigKey.MASKING_HASH_KEY_SECRET) != null) {
            throw invalid(ConfigKey.MASKING_HASH_KEY_SECRET, "is for mesos mode (the agents resolve the secret); "
                    + "locally, write the key into a file and name it in " + ConfigKey.MASKING_HASH_KEY_FILE.key()
                    + " (docs/masking.md)");
        }
        return new ServeConfig(mode, text(ConfigKey.HTTP_HOST), integer(ConfigKey.HTTP_PORT, 0, 65535),
                integer(ConfigKey.RUNS_MAX_CONCURRENT, 1, 64), integer(ConfigKey.RUNS_MAX_QUEUED, 0, 10_000),
                duration(ConfigKey.SHUTDOWN_TIMEOUT), workRoot.toAbsolutePath().normalize(),
                workDir.toAbsolutePath().normalize(), auth, optional(ConfigKey.MESOS_MASTER),
                optional(ConfigKey.ZK_URL), timeouts(), mode == ServeConfig.Mode.MESOS ? cluster() : null,
                retention(), masking());
    }

    private MaskingPolicy masking() {
        java.util.Map<String, io.snapci.model.mask.MaskRules> sets = new java.util.LinkedHashMap<>();
        String dir = optional(ConfigKey.MASKING_RULES_DIR);
        if (dir != null) {
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(Path.of(dir))) {
                for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".rules")).sorted().toList()) {
                    String name = file.getFileName().toString().replaceFirst("\\.rules$", "");
                    try {
                        sets.put(name, io.snapci.model.mask.MaskRules.parse(java.nio.file.Files.readString(file)));
                    } catch (IllegalArgumentException e) {
                        throw invalid(ConfigKey.MASKING_RULES_DIR, file + ": " + e.getMessage());
                    }
                }
            } catch (java.io.IOException e) {
                throw invalid(ConfigKey.MASKING_RULES_DIR, "cannot read " + dir + ": " + e.getMessage());
            }
        }
        String inline = optional(ConfigKey.MASKING_RULE_SETS);
        if (inline != null) {
            java.util.Map<String, io.snapci.model.mask.MaskRules> parsed;
            try {
                parsed = InlineRuleSets.parse(inline);
            } catch (IllegalArgumentException e) {
                throw invalid(ConfigKey.MASKING_RULE_SETS, e.getMessage());
            }
            for (var entry : parsed.entrySet()) {
                if (sets.putIfAbsent(entry.getKey(), entry.getValue()) != null) {
                    throw invalid(ConfigKey.MASKING_RULE_SETS, "[" + entry.getKey() + "] is also "
                            + entry.getKey() + ".rules in masking.rulesDir: give each set one name");
                }
            }
        }
        java.util.Map<String, String> required = new java.util.LinkedHashMap<>();
        for (String item : list(ConfigKey.MASKING_REQUIRED)) {
            int eq = item.lastIndexOf('=');
            if (eq <= 0 || eq == item.length() - 1) {
                throw invalid(ConfigKey.MASKING_REQUIRED, "'" + item + "': write SOURCE=RULESET");
            }
            required.put(item.substring(0, eq).strip(), item.substring(eq + 1).strip());
        }
        return new MaskingPolicy(sets, required, hashKey());
    }

    /** masking.hashKeyFile's content, checked at startup: a run must not find out mid-way that its key is gone. */
    private String hashKey() {
        String file = optional(ConfigKey.MASKING_HASH_KEY_FILE);
        if (file == null) {
            return null;
        }
        String key;
        try {
            key = java.nio.file.Files.readString(Path.of(file)).strip();
        } catch (java.io.IOException e) {
            throw invalid(ConfigKey.MASKING_HASH_KEY_FILE, "cannot read " + file + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); write the key into it, e.g. "
                    + "head -c 32 /dev/urandom | base64 > " + file);
        }
        if (key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 16) {
            throw invalid(ConfigKey.MASKING_HASH_KEY_FILE, file + (key.isEmpty() ? " is empty" : " holds fewer than "
                    + "16 bytes") + "; the key needs at least 16, e.g. head -c 32 /dev/urandom | base64 > " + file);
        }
        return key;
    }

    private RetentionConfig retention() {
        return new RetentionConfig(duration(ConfigKey.RUNS_RETENTION_MAX_AGE, Duration.ofMinutes(1)),
                integer(ConfigKey.RUNS_RETENTION_MAX_COUNT, 1, 30_000),
                duration(ConfigKey.RUNS_RETENTION_INTERVAL, Duration.ofSeconds(1)),
                duration(ConfigKey.AUDIT_RETENTION, Duration.ofHours(1)));
    }

    private Timeouts timeouts() {
        return new Timeouts(duration(ConfigKey.RUNS_READY_TIMEOUT), duration(ConfigKey.RUNS_TEST_TIMEOUT),
                duration(ConfigKey.RUNS_RUN_TIMEOUT));
    }

    /** Mesos mode needs these; each missing or malformed one is named with where its value came from. */
    private ClusterConfig cluster() {
        text(ConfigKey.MESOS_MASTER);
        text(ConfigKey.ZK_URL);
        return new ClusterConfig(text(ConfigKey.MESOS_FRAMEWORK_NAME), text(ConfigKey.MESOS_ROLE),
                text(ConfigKey.MESOS_PRINCIPAL), text(ConfigKey.MESOS_USER), text(ConfigKey.MESOS_EXECUTOR_URI),
                optional(ConfigKey.MESOS_SERVICE_ACCOUNT_CREDENTIAL), text(ConfigKey.PORTWORX_ENDPOINT),
                optional(ConfigKey.PORTWORX_TOKEN), optional(ConfigKey.PORTWORX_CA_FILE),
                text(ConfigKey.PORTWORX_CLONE_COS),
                pairs(ConfigKey.PORTWORX_CI_NODE_LABELS), pairs(ConfigKey.PORTWORX_CI_POOL_LABELS),
                duration(ConfigKey.PORTWORX_GC_GRACE), List.copyOf(list(ConfigKey.PLACEMENT_REQUIRED_ATTRIBUTES)),
                text(ConfigKey.CASSANDRA_IMAGE), text(ConfigKey.CASSANDRA_TASK_USER),
                decimal(ConfigKey.CASSANDRA_CPUS, 0.1, 64), integer(ConfigKey.CASSANDRA_MEM, 256, 1_048_576),
                decimal(ConfigKey.TESTS_CPUS, 0.1, 64), integer(ConfigKey.TESTS_MEM, 128, 1_048_576),
                integer(ConfigKey.RUNS_MAX_ATTEMPTS, 1, 10), lines(ConfigKey.SNAPSHOTS_SCHEDULES),
                duration(ConfigKey.MESOS_FAILOVER_TIMEOUT), text(ConfigKey.MESOS_VOLUME_DRIVER),
                decimal(ConfigKey.EXECUTOR_CPUS, 0.01, 8), integer(ConfigKey.EXECUTOR_MEM, 32, 65_536),
                integer(ConfigKey.EXECUTOR_DISK, 64, 1_048_576), duration(ConfigKey.ZK_SESSION_TIMEOUT),
                duration(ConfigKey.MESOS_LAUNCH_TIMEOUT), lines(ConfigKey.PORTWORX_BASE_COPIES),
                optional(ConfigKey.TLS_CA_FILE), clusterCaBundle, optional(ConfigKey.PORTWORX_VOLUME_API),
                optional(ConfigKey.MASKING_HASH_KEY_SECRET), hostPath(ConfigKey.CASSANDRA_CLASS_ARCHIVE_HOST_PATH));
    }

    /** An absolute, normalised path on the agents (a HOST_PATH volume's must be absolute), or null when unset. */
    private String hostPath(ConfigKey key) {
        String value = optional(key);
        if (value == null) {
            return null;
        }
        if (!value.startsWith("/") || !Path.of(value).normalize().toString().equals(value)) {
            throw invalid(key, "'" + value + "' is not an absolute, normalised path on the agents, e.g. "
                    + "/var/lib/snapci/class-archives");
        }
        return value;
    }

    /** {@code k=v,k2=v2}. */
    private Map<String, String> pairs(ConfigKey key) {
        Map<String, String> pairs = new java.util.LinkedHashMap<>();
        for (String item : list(key)) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw invalid(key, "expected key=value pairs separated by commas, e.g. snapci/tier=ci");
            }
            pairs.put(item.substring(0, eq).strip(), item.substring(eq + 1).strip());
        }
        return pairs;
    }

    private List<String> lines(ConfigKey key) {
        String value = optional(key);
        return value == null ? List.of()
                : value.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private double decimal(ConfigKey key, double min, double max) {
        String value = text(key);
        try {
            double number = Double.parseDouble(value);
            if (!(number >= min && number <= max)) {
                throw invalid(key, "must be between " + min + " and " + max);
            }
            return number;
        } catch (NumberFormatException e) {
            throw invalid(key, "expected a number between " + min + " and " + max);
        }
    }

    private Set<String> tokens() {
        Set<String> tokens = list(ConfigKey.AUTH_TOKENS);
        String file = optional(ConfigKey.AUTH_TOKENS_FILE);
        if (file != null) {
            try {
                Files.readAllLines(Path.of(file), StandardCharsets.UTF_8).stream().map(String::strip)
                        .filter(line -> !line.isEmpty() && !line.startsWith("#")).forEach(tokens::add);
            } catch (IOException e) {
                throw invalid(ConfigKey.AUTH_TOKENS_FILE, "cannot read it: " + e);
            }
        }
        return tokens;
    }

    private String text(ConfigKey key) {
        String value = optional(key);
        if (value == null) {
            throw new ConfigException(key.key() + " is required: " + key.description());
        }
        return value;
    }

    private String optional(ConfigKey key) {
        String value = values.get(key);
        return value == null || value.isEmpty() ? null : value;
    }

    private Set<String> list(ConfigKey key) {
        String value = optional(key);
        Set<String> items = new LinkedHashSet<>();
        if (value != null) {
            Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(items::add);
        }
        return items;
    }

    private int integer(ConfigKey key, int min, int max) {
        String value = text(key);
        try {
            int number = Integer.parseInt(value);
            if (number < min || number > max) {
                throw invalid(key, "must be between " + min + " and " + max);
            }
            return number;
        } catch (NumberFormatException e) {
            throw invalid(key, "expected a whole number between " + min + " and " + max);
        }
    }

    /** 90s, 5m, 1h, 30d, 500ms, or ISO-8601 (PT90S). */
    private Duration duration(ConfigKey key) {
        return Durations.parse(text(key))
                .orElseThrow(() -> invalid(key, "expected a duration such as 90s, 5m, 1h or 30d"));
    }

    private Duration duration(ConfigKey key, Duration least) {
        Duration value = duration(key);
        if (value.compareTo(least) < 0) {
            throw invalid(key, "must be at least " + Durations.format(least));
        }
        return value;
    }

    private ConfigException invalid(ConfigKey key, String problem) {
        String shown = key.isSecret() ? "(hidden)" : "'" + values.get(key) + "'";
        return new ConfigException(key.key() + " = " + shown + " (from " + origins.get(key) + "): " + problem);
    }
}
