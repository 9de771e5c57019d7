package io.snapci.cli.service;

import io.snapci.cli.remote.CommandFailure;
import io.snapci.cli.remote.ServiceOptions;
import io.snapci.cli.remote.SnapciApi;
import picocli.CommandLine.Mixin;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * A command that calls the snapci service: finds it ({@link ServiceOptions}), calls it, and turns what went wrong
 * into a message, a hint and an exit code (2: the request was wrong, 3: the service could not be reached or failed).
 */
abstract class ApiCommand implements Callable<Integer> {

    @Mixin
    ServiceOptions service = new ServiceOptions();

    @Override
    public final Integer call() throws Exception {
        PrintStream out = System.out;
        try {
            return call(new SnapciApi(service.require(System.getenv())), out);
        } catch (CommandFailure e) {
            System.err.println("snapci: " + e.describe());
            return e.exitCode();
        } finally {
            out.flush();
        }
    }

    /** The command's work; its exit code. */
    abstract int call(SnapciApi api, PrintStream out) throws Exception;
}
