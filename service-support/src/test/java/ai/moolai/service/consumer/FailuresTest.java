package ai.moolai.service.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;

import ai.moolai.testsupport.TcpProxy;
import ai.moolai.testsupport.TestDatabase;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.postgresql.PGConnection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What PostgreSQL, Hikari and Spring really throw, classified: the data's fault isolates the
 * record; the database's or the deployment's fault is waited out. Each error is caused for real,
 * through a pool like the services', behind a proxy the test can cut.
 */
class FailuresTest {

    private final TcpProxy proxy = proxy();
    private HikariDataSource pool;
    private JdbcTemplate jdbc;
    private TransactionTemplate transaction;

    @BeforeEach
    void connect() {
        TestDatabase database = TestDatabase.perRun();
        pool = new HikariDataSource();
        pool.setJdbcUrl(database.jdbcUrlVia(proxy.port()));
        pool.setUsername(database.username());
        pool.setPassword(database.password());
        pool.setConnectionTimeout(1000);
        jdbc = new JdbcTemplate(pool);
        transaction = new TransactionTemplate(new DataSourceTransactionManager(pool));
        jdbc.execute("CREATE TABLE IF NOT EXISTS failures_probe (id text PRIMARY KEY, n integer CHECK (n >= 0))");
    }

    @AfterEach
    void close() throws Exception {
        pool.close();
        proxy.close();
    }

    @Test
    void whatTheDataCausesIsNotRetried() {
        assertThat(Failures.isAvailability(thrownBy(() -> jdbc.queryForObject("SELECT CAST('x' AS integer)", Integer.class))))
                .as("22P02 invalid text").isFalse();
        assertThat(Failures.isAvailability(thrownBy(() -> jdbc.update("INSERT INTO failures_probe VALUES ('a', -1)"))))
                .as("23514 check violation").isFalse();
        assertThat(Failures.isAvailability(thrownBy(() -> transaction.executeWithoutResult(status ->
                jdbc.update("INSERT INTO failures_probe VALUES ('b', 1), ('b', 2)"))))).as("23505 in a transaction").isFalse();
        assertThat(Failures.isAvailability(thrownBy(() -> jdbc.queryForObject("SELECT CAST('{\"a\":\"\\u0000\"}' AS jsonb)",
                String.class)))).as("22P05 NUL in jsonb").isFalse();
        assertThat(Failures.isAvailability(new NullPointerException("our own bug"))).isFalse();
    }

    @Test
    void whatTheDatabaseOrTheDeploymentCausesIsWaitedOut() {
        assertThat(Failures.isAvailability(thrownBy(() -> jdbc.queryForList("SELECT * FROM no_such_table"))))
                .as("42P01: a migration not run yet").isTrue();
        assertThat(Failures.isAvailability(thrownBy(() -> transaction.executeWithoutResult(status -> {
            jdbc.execute("SET TRANSACTION READ ONLY");
            jdbc.update("INSERT INTO failures_probe VALUES ('c', 1)");
        })))).as("25006: a read-only node after a failover").isTrue();
        assertThat(Failures.isAvailability(thrownBy(() -> jdbc.execute((Connection connection) -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TEMPORARY TABLE IF NOT EXISTS copy_probe (n integer)");
            }
            try {
                return connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY copy_probe FROM STDIN (FORMAT binary)",
                        new ByteArrayInputStream("not what the writer meant".getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        })))).as("22P04: a binary COPY its writer got wrong, whatever the records").isTrue();
    }

    @Test
    void aStatementTimeoutIsWaitedOut() {
        assertThat(Failures.isAvailability(thrownBy(() -> transaction.executeWithoutResult(status -> {
            jdbc.execute("SET LOCAL statement_timeout = 50");
            jdbc.execute("SELECT pg_sleep(1)");
        })))).as("57014: canceled by statement timeout").isTrue();
    }

    @Test
    void aLostDatabaseIsWaitedOutWhereverTheLossIsNoticed() {
        jdbc.queryForObject("SELECT 1", Integer.class);
        proxy.cut();
        assertThat(Failures.isAvailability(thrownBy(() -> jdbc.queryForObject("SELECT 1", Integer.class))))
                .as("a pooled connection dropped, then none to be had").isTrue();
        assertThat(Failures.isAvailability(thrownBy(() -> transaction.executeWithoutResult(status ->
                jdbc.update("INSERT INTO failures_probe VALUES ('d', 1)"))))).as("no transaction can begin").isTrue();
        proxy.restore();
        Throwable midTransaction = thrownBy(() -> transaction.executeWithoutResult(status -> {
            jdbc.update("INSERT INTO failures_probe VALUES ('e', 1) ON CONFLICT DO NOTHING");
            proxy.cut();
            jdbc.update("INSERT INTO failures_probe VALUES ('f', 1) ON CONFLICT DO NOTHING");
        }));
        assertThat(Failures.isAvailability(midTransaction)).as("lost mid-transaction, the rollback failing too: "
                + midTransaction).isTrue();
    }

    private static Throwable thrownBy(Runnable call) {
        Throwable thrown = catchThrowable(call::run);
        assertThat(thrown).as("the call failed").isNotNull();
        return thrown;
    }

    private static TcpProxy proxy() {
        try {
            return new TcpProxy(5432);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
