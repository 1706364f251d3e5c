package ai.moolai.service.consumer;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

import org.apache.kafka.common.errors.RetriableException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.TransactionException;

/**
 * Tells an error a retry may cure (the database or the broker away, a timeout, a lock) from one it
 * cannot (the data refused, or our own bug). Only the first kind is retried; the second isolates
 * the record that caused it.
 */
public final class Failures {

    private Failures() {
    }

    /**
     * Whether the error, or anything that caused it, says that something is unavailable for now. A
     * transaction that cannot begin, commit or roll back counts as such: data errors surface from
     * statements, not from the transaction's own steps.
     */
    public static boolean isAvailability(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return availabilityState(sql.getSQLState());
            }
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

    /**
     * PostgreSQL's classes of a passing condition: connection (08), insufficient resources (53),
     * operator intervention or statement timeout (57), system error (58), transaction rollback
     * such as a deadlock (40), and a lock not available (55P03).
     */
    private static boolean availabilityState(String state) {
        return state.startsWith("08") || state.startsWith("53") || state.startsWith("57") || state.startsWith("58")
                || state.startsWith("40") || state.equals("55P03");
    }

    /** The error's first line, and its cause's where it says more, for a header or a log line. */
    static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int newline = message.indexOf('\n');
        message = newline < 0 ? message : message.substring(0, newline);
        return message.length() > 500 ? message.substring(0, 500) + "…" : message;
    }
}
