package ai.moolai.database;

import java.util.Objects;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings a database's schema to this build's version: the one way the schema changes, whether
 * dev-stack prepares its database or a deployment's migration job runs before the services
 * ({@code deploy/k8s/migrate-job.yaml}: {@code java -cp '/app/BOOT-INF/lib/*' ai.moolai.database.Migrations}).
 */
public final class Migrations {

    private Migrations() {
    }

    /** Applies what the database lacks; concurrent callers wait on Flyway's lock, and only one applies each migration. */
    public static MigrateResult apply(String jdbcUrl, String user, String password) {
        return Flyway.configure().dataSource(jdbcUrl, user, password).load().migrate();
    }

    /**
     * Migrates the database {@code JDBC_DATABASE_URL}, {@code DATABASE_USER} and
     * {@code DATABASE_PASSWORD} name, as the services read them, and exits non-zero when it cannot.
     */
    public static void main(String[] arguments) {
        String url = Objects.requireNonNull(System.getenv("JDBC_DATABASE_URL"), "JDBC_DATABASE_URL is not set");
        String user = Objects.requireNonNull(System.getenv("DATABASE_USER"), "DATABASE_USER is not set");
        MigrateResult result = apply(url, user, Objects.requireNonNullElse(System.getenv("DATABASE_PASSWORD"), ""));
        System.out.println("database " + result.database + " at version " + result.targetSchemaVersion + " ("
                + result.migrationsExecuted + " migration(s) applied)");
    }
}
