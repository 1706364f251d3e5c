package ai.moolai.service;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The default identity of a service instance: its host's name and the port it serves on. The
 * same after a restart where the host keeps its name (what static membership and the edges'
 * beacons need), and different for two instances on two hosts, or on one host with two ports.
 * Where host names change with every restart, or ports are chosen at random, set the id.
 */
public final class InstanceIds {

    private InstanceIds() {
    }

    /** {@code <host name>-<port>}, or {@code localhost-<port>} when the host has no name it can resolve. */
    public static String hostAndPort(int port) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + "-" + port;
    }
}
