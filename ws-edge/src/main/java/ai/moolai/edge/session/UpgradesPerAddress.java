package ai.moolai.edge.session;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Each remote address's budget of upgrades: {@code edge.upgrades-per-address-per-second}
 * sustained, {@code edge.upgrade-burst-per-address} at once. The burst is what lets a fleet behind
 * one NAT back in at once after an edge restarts; a larger fleet there gets in at the sustained
 * rate, the rest told 429 and backing off.
 *
 * <p>The address is the one Tomcat sees. Behind a load balancer that is the balancer's own, shared
 * by every orchestrator behind it: there the balancer's limits are the per-client ones, and this
 * budget is raised to fit the whole fleet. {@code X-Forwarded-For} is not believed, for any client
 * can write it.
 *
 * <p>Memory is bounded: beyond {@link #REMEMBERED} addresses the least recently seen is forgotten
 * (it comes back with a full burst), so a client rotating its address cannot grow this without
 * end. Such a client is held by the cap on unauthenticated sockets instead.
 */
final class UpgradesPerAddress {

    /** Addresses remembered at most: about 130 bytes each, so some 8 MB when full. */
    static final int REMEMBERED = 65_536;

    private final double perSecond;
    private final double burst;
    private final Map<String, TokenBucket> budgets;

    UpgradesPerAddress(double perSecond, double burst, int remembered) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.budgets = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TokenBucket> eldest) {
                return size() > remembered;
            }
        };
    }

    /** Takes one upgrade from this address's budget, if any is left. */
    synchronized boolean tryTake(String address, long now) {
        return budgets.computeIfAbsent(address, unseen -> new TokenBucket(perSecond, burst, now)).tryTake(now);
    }

    synchronized int remembered() {
        return budgets.size();
    }
}
