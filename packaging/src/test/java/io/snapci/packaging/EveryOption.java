package io.snapci.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * An install that changes every option of config.json to another valid value, and where each value must land in
 * the rendered app. A new option without a line here fails MarathonTemplateTest.
 */
final class EveryOption {

    /** One place an option's value must reach: a JSON pointer into the app and the value expected there. */
    record Placement(String option, String pointer, JsonNode expected) {
    }

    /**
     * Options whose value the every-changed install overrides with another option's (the key is shadowed by the
     * value): their placement is checked in an install that leaves the shadowing option at its default.
     */
    static final java.util.Map<String, String> SHADOWED = java.util.Map.of("service.principal", "service.service_account",
            "portworx.ca_uri", "portworx.ca_secret");

    /** The region constraint first, then the user's constraints, as Marathon gets them. */
    private static final List<List<String>> REGION_AND_CONSTRAINTS = List.of(List.of("@region", "IS", "aws-eu-west-1"),
            List.of("hostname", "UNIQUE"), List.of("rack", "GROUP_BY", "2"));

    private EveryOption() {
    }

    /** {@link #changed()} with the option that shadows {@code option} back at its default. */
    static ObjectNode changedWithout(String shadowing) {
        ObjectNode changed = changed();
        String[] parts = shadowing.split("\\.");
        ((ObjectNode) changed.path(parts[0])).remove(parts[1]);
        return changed;
    }

    static ObjectNode changed() {
        return (ObjectNode) Documents.parse("""
                {
                  "service": {
                    "name": "ci/snapci-prod",
                    "cpus": 2.5,
                    "mem": 2048,
                    "user": "snapci",
                    "role": "ci-runs",
                    "principal": "snap\\"ci\\\\principal",
                    "service_account": "snapci-sa",
                    "service_account_secret": "snapci/service-account",
                    "constraints": [["hostname", "UNIQUE"], ["rack", "GROUP_BY", "2"]],
                    "region": "aws-eu-west-1",
                    "mesos_master": "https://leader.mesos:5050",
                    "shutdown_timeout_seconds": 90
                  },
                  "zookeeper": {
                    "servers": "zk-1.zk:2181,zk-2.zk:2181",
                    "root": "/ci/snapci-state"
                  },
                  "portworx": {
                    "sdk_endpoint": "https://portworx-api.example:9021",
                    "volume_api": "https://portworx-api.example:9001",
                    "token_secret": "snapci/portworx-token",
                    "ca_secret": "snapci/portworx-ca",
                    "ca_uri": "https://certs.example/portworx-ca.pem",
                    "clone_cos": "MEDIUM",
                    "ci_node_labels": "tier=ci,rack=r2",
                    "ci_pool_labels": "media=hdd",
                    "gc_grace": "30m",
                    "base_copies": [
                      { "name": "orders", "source_volume": "cassandra-orders", "every": "6h", "keep": 2 }
                    ]
                  },
                  "placement": { "ci_tier_attribute": "tier:ci,zone:eu-1" },
                  "cassandra": { "image": "cassandra:4.1", "task_user": "cassandra", "cpus": 2, "mem": 4096,
                                 "class_archive_host_path": "/var/lib/snapci/class-archives" },
                  "tests": { "cpus": 0.5, "mem": 2048 },
                  "runs": {
                    "max_concurrent": 8,
                    "max_queued": 500,
                    "max_attempts": 5,
                    "ready_timeout": "10m",
                    "test_timeout": "2h",
                    "run_timeout": "3h"
                  },
                  "snapshots": {
                    "schedules": [
                      { "name": "orders-hourly", "source_volume": "cassandra-orders", "every": "1h", "keep_last": 6 },
                      { "name": "nodes-hourly", "source_volume": "cassandra-0,cassandra-1,cassandra-2", "every": "1h",
                        "keep_last": 3 },
                      { "name": "shop-nightly", "source_volume": "app=cassandra-shop,dc=east", "cron": "0 2 * * *",
                        "keep_last": 2 },
                      { "name": "users-nightly", "source_volume": "cassandra-users", "cron": "0 3 * * *",
                        "keep_last": 7, "max_age": "168h" }
                    ]
                  },
                  "api": {
                    "tokens_secret": "snapci/api-tokens",
                    "read_only_tokens_secret": "snapci/api-read-only-tokens",
                    "dcos_allowed_uids": "ci-bot,alice"
                  },
                  "masking": {
                    "rule_sets": [
                      { "name": "pii", "rules": "shop.users.email: email\\nshop.users.note: keep-chars(\\"')" },
                      { "name": "crm", "rules": "delete crm.customers where name = 'Test'" }
                    ],
                    "required": "cassandra-shop=pii,*=crm",
                    "hash_key_secret": "snapci/mask-key"
                  },
                  "audit": { "retention": "30d" }
                }
                """);
    }

    static List<Placement> placements() {
        List<Placement> p = new ArrayList<>();
        add(p, "service.name", "/id", "/ci/snapci-prod");
        add(p, "service.name", "/labels/DCOS_SERVICE_NAME", "ci/snapci-prod");
        add(p, "service.name", "/labels/DCOS_PACKAGE_FRAMEWORK_NAME", "ci/snapci-prod");
        add(p, "service.name", "/env/SNAPCI_MESOS_FRAMEWORK_NAME", "ci/snapci-prod");
        add(p, "service.cpus", "/cpus", 2.5);
        add(p, "service.mem", "/mem", 2048);
        add(p, "service.user", "/user", "snapci");
        add(p, "service.user", "/env/SNAPCI_MESOS_USER", "snapci");
        add(p, "service.role", "/env/SNAPCI_MESOS_ROLE", "ci-runs");
        add(p, "service.name", "/portDefinitions/0/labels/VIP_0", "/ci/snapci-prod:80");
        add(p, "service.principal", "/env/SNAPCI_MESOS_PRINCIPAL", "snap\"ci\\principal");
        add(p, "service.service_account", "/env/SNAPCI_MESOS_PRINCIPAL", "snapci-sa");
        add(p, "service.constraints", "/constraints", REGION_AND_CONSTRAINTS);
        add(p, "service.region", "/constraints", REGION_AND_CONSTRAINTS);
        add(p, "service.service_account_secret", "/secrets/serviceCredential/source", "snapci/service-account");
        add(p, "service.service_account_secret", "/env/SNAPCI_MESOS_SERVICE_ACCOUNT_CREDENTIAL/secret", "serviceCredential");
        add(p, "service.mesos_master", "/env/SNAPCI_MESOS_MASTER", "https://leader.mesos:5050");
        add(p, "service.shutdown_timeout_seconds", "/env/SNAPCI_SHUTDOWN_TIMEOUT", "90s");
        add(p, "service.shutdown_timeout_seconds", "/taskKillGracePeriodSeconds", 90);
        add(p, "zookeeper.servers", "/env/SNAPCI_ZK_URL", "zk://zk-1.zk:2181,zk-2.zk:2181/ci/snapci-state");
        add(p, "zookeeper.root", "/env/SNAPCI_ZK_URL", "zk://zk-1.zk:2181,zk-2.zk:2181/ci/snapci-state");
        add(p, "portworx.sdk_endpoint", "/env/SNAPCI_PORTWORX_ENDPOINT", "https://portworx-api.example:9021");
        add(p, "portworx.volume_api", "/env/SNAPCI_PORTWORX_VOLUME_API", "https://portworx-api.example:9001");
        add(p, "portworx.token_secret", "/secrets/portworxToken/source", "snapci/portworx-token");
        add(p, "portworx.token_secret", "/env/SNAPCI_PORTWORX_TOKEN/secret", "portworxToken");
        add(p, "portworx.ca_secret", "/secrets/portworxCa/source", "snapci/portworx-ca");
        add(p, "portworx.ca_secret", "/container/volumes/0/secret", "portworxCa");
        add(p, "portworx.ca_secret", "/container/volumes/0/containerPath", "portworx-ca-secret.pem");
        add(p, "portworx.ca_secret", "/env/SNAPCI_PORTWORX_CA_FILE", "portworx-ca-secret.pem");
        add(p, "portworx.ca_uri", "/fetch/1/uri", "https://certs.example/portworx-ca.pem");
        add(p, "portworx.ca_uri", "/fetch/1/destPath", "portworx-ca.pem");
        add(p, "portworx.ca_uri", "/env/SNAPCI_PORTWORX_CA_FILE", "portworx-ca.pem");
        add(p, "portworx.clone_cos", "/env/SNAPCI_PORTWORX_CLONE_COS", "MEDIUM");
        add(p, "portworx.ci_node_labels", "/env/SNAPCI_PORTWORX_CI_NODE_LABELS", "tier=ci,rack=r2");
        add(p, "portworx.ci_pool_labels", "/env/SNAPCI_PORTWORX_CI_POOL_LABELS", "media=hdd");
        add(p, "portworx.gc_grace", "/env/SNAPCI_PORTWORX_GC_GRACE", "30m");
        add(p, "placement.ci_tier_attribute", "/env/SNAPCI_PLACEMENT_REQUIRED_ATTRIBUTES", "tier:ci,zone:eu-1");
        add(p, "cassandra.image", "/env/SNAPCI_CASSANDRA_IMAGE", "cassandra:4.1");
        add(p, "cassandra.task_user", "/env/SNAPCI_CASSANDRA_TASK_USER", "cassandra");
        add(p, "cassandra.cpus", "/env/SNAPCI_CASSANDRA_CPUS", "2");
        add(p, "cassandra.mem", "/env/SNAPCI_CASSANDRA_MEM", "4096");
        add(p, "cassandra.class_archive_host_path", "/env/SNAPCI_CASSANDRA_CLASS_ARCHIVE_HOST_PATH",
                "/var/lib/snapci/class-archives");
        add(p, "tests.cpus", "/env/SNAPCI_TESTS_CPUS", "0.5");
        add(p, "tests.mem", "/env/SNAPCI_TESTS_MEM", "2048");
        add(p, "runs.max_concurrent", "/env/SNAPCI_RUNS_MAX_CONCURRENT", "8");
        add(p, "runs.max_queued", "/env/SNAPCI_RUNS_MAX_QUEUED", "500");
        add(p, "runs.max_attempts", "/env/SNAPCI_RUNS_MAX_ATTEMPTS", "5");
        add(p, "runs.ready_timeout", "/env/SNAPCI_RUNS_READY_TIMEOUT", "10m");
        add(p, "runs.test_timeout", "/env/SNAPCI_RUNS_TEST_TIMEOUT", "2h");
        add(p, "runs.run_timeout", "/env/SNAPCI_RUNS_RUN_TIMEOUT", "3h");
        add(p, "portworx.base_copies", "/env/SNAPCI_PORTWORX_BASE_COPIES", "orders;cassandra-orders;every 6h;2\n");
        add(p, "snapshots.schedules", "/env/SNAPCI_SNAPSHOTS_SCHEDULES",
                "orders-hourly;cassandra-orders;every 1h;6;\nnodes-hourly;cassandra-0,cassandra-1,cassandra-2;every 1h;3;\n"
                        + "shop-nightly;app=cassandra-shop,dc=east;cron 0 2 * * *;2;\n"
                        + "users-nightly;cassandra-users;cron 0 3 * * *;7;168h\n");
        add(p, "api.tokens_secret", "/secrets/apiTokens/source", "snapci/api-tokens");
        add(p, "api.tokens_secret", "/env/SNAPCI_AUTH_TOKENS/secret", "apiTokens");
        add(p, "api.read_only_tokens_secret", "/secrets/apiReadOnlyTokens/source", "snapci/api-read-only-tokens");
        add(p, "api.read_only_tokens_secret", "/env/SNAPCI_AUTH_READ_ONLY_TOKENS/secret", "apiReadOnlyTokens");
        add(p, "api.dcos_allowed_uids", "/env/SNAPCI_AUTH_DCOS_ALLOWED_UIDS", "ci-bot,alice");
        add(p, "masking.rule_sets", "/env/SNAPCI_MASKING_RULE_SETS", "[pii]\nshop.users.email: email\n"
                + "shop.users.note: keep-chars(\"')\n[crm]\ndelete crm.customers where name = 'Test'\n");
        add(p, "masking.required", "/env/SNAPCI_MASKING_REQUIRED", "cassandra-shop=pii,*=crm");
        add(p, "masking.hash_key_secret", "/env/SNAPCI_MASKING_HASH_KEY_SECRET", "snapci/mask-key");
        add(p, "audit.retention", "/env/SNAPCI_AUDIT_RETENTION", "30d");
        return p;
    }

    private static void add(List<Placement> placements, String option, String pointer, Object expected) {
        placements.add(new Placement(option, pointer, Documents.JSON.valueToTree(expected)));
    }
}
