package dev.nnkit.spark;

import dev.nnkit.Network;
import dev.nnkit.PluginRegistry;
import dev.nnkit.io.DataFileException;
import dev.nnkit.io.NetworkConfigs;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The networks an executor JVM computes with, rebuilt from the config's JSON (spec strings) the
 * first time a task needs one and reused by later tasks: a task borrows one for its partition and
 * gives it back, so tasks running at once in one JVM never share a network. Their parameters are
 * overwritten from the driver's broadcast at the start of every task.
 */
final class WorkerNetworks {

    private static final Map<String, ConcurrentLinkedQueue<Network>> POOL = new ConcurrentHashMap<>();

    private WorkerNetworks() {
    }

    static Network borrow(String configJson) {
        Network network = POOL.computeIfAbsent(configJson, k -> new ConcurrentLinkedQueue<>()).poll();
        if (network != null) {
            return network;
        }
        try {
            return Network.fromConfig(NetworkConfigs.fromJson(configJson).network(), PluginRegistry.defaults());
        } catch (DataFileException e) {
            throw new IllegalStateException("the executor could not read the network config the driver wrote: " + e.getMessage(), e);
        }
    }

    static void release(String configJson, Network network) {
        POOL.computeIfAbsent(configJson, k -> new ConcurrentLinkedQueue<>()).add(network);
    }
}
