package ai.moolai.database;

import java.util.List;
import java.util.Objects;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings a database's schema to this build's version: the one way the schema changes, whether
 * dev-stack prepares its database or a deployment's migration job runs before the services
 * ({@code deploy/k8s/migrate-job.yaml}: {@code java -cp '/app/BOOT-INF/lib/*' ai.moolai.database.Migrations}).
 */
public final class Migrations {

    private static final long AWAIT_EVERY_MILLIS = 2000;

    private Migrations() {
    }

    /** Applies what the database lacks; concurrent callers wait on Flyway's lock, and only one applies each migration. */
    public static MigrateResult apply(String jdbcUrl, String user, String password) {
        return flyway(jdbcUrl, user, password).migrate();
    }

    /** Whether the database's schema is this build's: every migration applied, none changed since, none unknown. */
    public static boolean current(String jdbcUrl, String user, String password) {
        return flyway(jdbcUrl, user, password).validateWithResult().validationSuccessful;
    }

    /**
     * Migrates the database {@code JDBC_DATABASE_URL}, {@code DATABASE_USER} and
     * {@code DATABASE_PASSWORD} name, as the services read them, and exits non-zero when it cannot.
     * With {@code --await} it migrates nothing: it returns once the schema is this build's (a
     * service's init container, while the migration job runs), trying every 2 s.
     */
    public static void main(String[] arguments) throws InterruptedException {
        String url = Objects.requireNonNull(System.getenv("JDBC_DATABASE_URL"), "JDBC_DATABASE_URL is not set");
        String user = Objects.requireNonNull(System.getenv("DATABASE_USER"), "DATABASE_USER is not set");
        String password = Objects.requireNonNullElse(System.getenv("DATABASE_PASSWORD"), "");
        if (List.of(arguments).contains("--await")) {
            while (!currentOrUnreachable(url, user, password)) {
                Thread.sleep(AWAIT_EVERY_MILLIS);
            }
            System.out.println("the database's schema is this build's");
            return;
        }
        MigrateResult result = apply(url, user, password);
        System.out.println("database " + result.database + " at version " + result.targetSchemaVersion + " ("
                + result.migrationsExecuted + " migration(s) applied)");
    }

    private static boolean currentOrUnreachable(String url, String user, String password) {
        try {
            return current(url, user, password);
        } catch (RuntimeException notYet) {
            System.out.println("waiting for the database: " + notYet.getMessage());
            return false;
        }
    }

    private static Flyway flyway(String jdbcUrl, String user, String password) {
        return Flyway.configure().dataSource(jdbcUrl, user, password).load();
    }
}
