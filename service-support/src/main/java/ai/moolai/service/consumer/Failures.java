package ai.moolai.service.consumer;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.errors.RetriableException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.TransactionException;

/**
 * Tells an error a retry may cure from one it cannot. Only the second kind isolates the record
 * that caused it; the first is retried for as long as it takes, the consumer visibly stalled
 * rather than good records dead-lettered.
 *
 * <p>Where PostgreSQL said why (a SQLState anywhere in the causes), its word decides, before any
 * wrapper's type: only the classes that speak of the data itself (22 data exception, 23 integrity
 * constraint violation, 54 program limit exceeded, such as an index row too large) are the
 * record's fault, but for the two that say the writer encoded a value wrongly. Every other class is the database's or the deployment's (a connection lost, a
 * read-only node after a failover, a table a migration has not created yet, a revoked grant) and
 * is waited out. Without a SQLState, connection, transaction and Kafka errors that say they are
 * transient are waited out, and anything else (our own error on one record) isolates the record.
 */
public final class Failures {

    /**
     * Class 22 states that speak of how a value was sent, not of the value: a binary COPY or
     * parameter the writer encoded wrongly (invalid binary representation, bad copy file format). A
     * record cannot cause them, and isolating would dead-letter every record of every batch.
     */
    private static final Set<String> WRITER_FAULTS = Set.of("22P03", "22P04");

    private Failures() {
    }

    /** Whether the error, or anything that caused it, says that something is unavailable for now. */
    public static boolean isAvailability(Throwable error) {
        Optional<String> state = sqlState(error);
        if (state.isPresent()) {
            return !isDataClass(state.get());
        }
        for (Throwable cause = error; cause != null; cause = next(cause)) {
            if (cause instanceof TransientDataAccessException || cause instanceof RecoverableDataAccessException
                    || cause instanceof DataAccessResourceFailureException || cause instanceof TransactionException
                    || cause instanceof SQLTransientException || cause instanceof SQLRecoverableException
                    || cause instanceof RetriableException || cause instanceof java.util.concurrent.TimeoutException
                    || cause instanceof ConnectException || cause instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDataClass(String state) {
        return (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"))
                && !WRITER_FAULTS.contains(state);
    }

    /** The first SQLState among the error and its causes. */
    private static Optional<String> sqlState(Throwable error) {
        for (Throwable cause = error; cause != null; cause = next(cause)) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && !sql.getSQLState().isBlank()) {
                return Optional.of(sql.getSQLState());
            }
        }
        return Optional.empty();
    }

    private static Throwable next(Throwable cause) {
        return cause.getCause() == cause ? null : cause.getCause();
    }

    /** The error's first line, and its cause's where it says more, for a header or a log line. */
    static String describe(Throwable error) {
        Throwable root = error;
        while (next(root) != null) {
            root = next(root);
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int newline = message.indexOf('\n');
        message = newline < 0 ? message : message.substring(0, newline);
        return message.length() > 500 ? message.substring(0, 500) + "…" : message;
    }
}
