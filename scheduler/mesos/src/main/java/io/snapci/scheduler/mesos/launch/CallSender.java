package io.snapci.scheduler.mesos.launch;

import org.apache.mesos.v1.scheduler.Protos.Call;

/** Sends one call to the Mesos master on the current subscription (the transport's job). */
@FunctionalInterface
public interface CallSender {

    void send(Call call) throws Exception;
}
