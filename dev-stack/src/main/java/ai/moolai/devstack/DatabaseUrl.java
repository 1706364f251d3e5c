package ai.moolai.devstack;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the controller's database is and who connects to it, read from the seed's
 * {@code DATABASE_URL} ({@code postgresql+asyncpg://user:password@host:port/db}, also without the
 * driver suffix) or a JDBC URL with {@code DATABASE_USER} / {@code DATABASE_PASSWORD}.
 *
 * @param host     server host
 * @param port     server port
 * @param database database name
 * @param user     role
 * @param password the role's password
 */
public record DatabaseUrl(String host, int port, String database, String user, String password) {

    /** The seed's defaults: role {@code moolai}, password {@code moolai}, database {@code moolai_controller}. */
    static final DatabaseUrl DEFAULT = new DatabaseUrl("127.0.0.1", 5432, "moolai_controller", "moolai", "moolai");

    public static DatabaseUrl parse(String url, String user, String password) {
        if (url == null || url.isBlank()) {
            return DEFAULT;
        }
        URI uri = URI.create(url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url);
        if (uri.getScheme() == null || !uri.getScheme().startsWith("postgres")) {
            throw new IllegalArgumentException("DATABASE_URL must be a postgresql:// URL, not " + url);
        }
        String userInfo = uri.getRawUserInfo();
        String urlUser = userInfo == null ? null : decode(userInfo.split(":", 2)[0]);
        String urlPassword = userInfo == null || !userInfo.contains(":") ? null : decode(userInfo.split(":", 2)[1]);
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        return new DatabaseUrl(
                uri.getHost() == null ? DEFAULT.host : uri.getHost(),
                uri.getPort() < 0 ? DEFAULT.port : uri.getPort(),
                path.isEmpty() ? DEFAULT.database : path,
                firstOf(urlUser, user, DEFAULT.user),
                firstOf(urlPassword, password, DEFAULT.password));
    }

    /** Whether the server is on this machine, where the stack may run one itself. */
    boolean isLocal() {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1") || host.equals("[::1]");
    }

    /** The JDBC URL of the database. */
    String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** The JDBC URL of another database on the same server. */
    String jdbcUrl(String otherDatabase) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + otherDatabase;
    }

    private static String firstOf(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate;
            }
        }
        return null;
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }
}
