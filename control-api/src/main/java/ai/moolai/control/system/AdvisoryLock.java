package ai.moolai.control.system;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * A PostgreSQL session-level advisory lock: of several replicas, the one whose session holds it
 * does what it guards (relaying the outbox, purging, reconciling desired state).
 *
 * @param id the lock's key, one per job
 */
public record AdvisoryLock(long id) {

    /** Work done while the lock is held, on the connection that holds it. */
    public interface Work<T, E extends Exception> {
        T run(Connection connection) throws E;
    }

    /** Takes the lock for {@code connection}'s session if no other session holds it; {@code false} otherwise. */
    public boolean tryLock(Connection connection) throws SQLException {
        return call(connection, "pg_try_advisory_lock");
    }

    /**
     * Does {@code work} on a connection of the pool while holding the lock, and lets it go after;
     * nothing when another replica holds it.
     */
    public <T, E extends Exception> Optional<T> whileHeld(DataSource dataSource, Work<T, E> work) throws SQLException, E {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            if (!tryLock(connection)) {
                return Optional.empty();
            }
            try {
                return Optional.ofNullable(work.run(connection));
            } finally {
                call(connection, "pg_advisory_unlock");
            }
        }
    }

    private boolean call(Connection connection, String function) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + function + "(?)")) {
            statement.setLong(1, id);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            }
        }
    }
}
