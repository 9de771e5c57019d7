package io.snapci.executor.cassandra;

import java.io.IOException;

/**
 * The node answered, from another datacenter than the tests name. A node's datacenter is fixed by its snitch
 * before its CQL port opens, so waiting longer cannot help: the tests' driver would find no local node.
 */
final class WrongDatacenterException extends IOException {

    WrongDatacenterException(String actual, String expected) {
        super("the node is in datacenter " + actual + ", not " + expected);
    }
}
