package ai.moolai.database;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows for {@code COPY table FROM STDIN (FORMAT binary)}, each value written in PostgreSQL's own
 * binary form: the fastest way in for a batch, as nothing is quoted, escaped or parsed on either
 * side. COPY cannot skip a row it has seen, so copy into a temporary table and move the rows on
 * from there with {@code INSERT ... SELECT ... ON CONFLICT}.
 */
public final class BinaryCopy {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    /** 2000-01-01T00:00:00Z, PostgreSQL's epoch, in seconds from Java's. */
    private static final long POSTGRES_EPOCH = 946_684_800L;
    private static final byte JSONB_VERSION = 1;

    private final Buffer bytes = new Buffer();
    private final DataOutputStream out = new DataOutputStream(bytes);
    private final short columns;

    public BinaryCopy(int columns) {
        this.columns = (short) columns;
        write(() -> {
            out.write(SIGNATURE);
            out.writeInt(0);
            out.writeInt(0);
        });
    }

    /** Starts the next row; its values follow, one per column, in the table's column order. */
    public BinaryCopy row() {
        return write(() -> out.writeShort(columns));
    }

    public BinaryCopy text(String value) {
        return value == null ? nullValue() : bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    public BinaryCopy uuid(UUID value) {
        return value == null ? nullValue() : write(() -> {
            out.writeInt(16);
            out.writeLong(value.getMostSignificantBits());
            out.writeLong(value.getLeastSignificantBits());
        });
    }

    /** A {@code timestamptz}, rounded to the nearest microsecond (PostgreSQL's own precision). */
    public BinaryCopy timestamptz(Instant value) {
        return value == null ? nullValue() : write(() -> {
            out.writeInt(8);
            out.writeLong(Math.multiplyExact(value.getEpochSecond() - POSTGRES_EPOCH, 1_000_000L)
                    + (value.getNano() + 500) / 1000);
        });
    }

    /** A {@code jsonb} from its JSON text in UTF-8. */
    public BinaryCopy jsonb(byte[] json) {
        return json == null ? nullValue() : write(() -> {
            out.writeInt(json.length + 1);
            out.writeByte(JSONB_VERSION);
            out.write(json);
        });
    }

    /** Copies every row into {@code table}, whose columns take them in order; returns how many it took. */
    public long into(Connection connection, String table) throws SQLException {
        write(() -> out.writeShort(-1));
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + table + " FROM STDIN (FORMAT binary)");
        try {
            bytes.writeTo(copy);
            return copy.endCopy();
        } catch (SQLException | RuntimeException failed) {
            if (copy.isActive()) {
                try {
                    copy.cancelCopy();
                } catch (SQLException cancelFailed) {
                    failed.addSuppressed(cancelFailed);
                }
            }
            throw failed;
        }
    }

    private BinaryCopy bytes(byte[] value) {
        return write(() -> {
            out.writeInt(value.length);
            out.write(value);
        });
    }

    private BinaryCopy nullValue() {
        return write(() -> out.writeInt(-1));
    }

    private BinaryCopy write(Writing writing) {
        try {
            writing.write();
            return this;
        } catch (IOException cannotHappen) {
            throw new UncheckedIOException(cannotHappen);
        }
    }

    /** The rows so far, handed to COPY without another copy of them. */
    private static final class Buffer extends ByteArrayOutputStream {

        Buffer() {
            super(64 * 1024);
        }

        void writeTo(CopyIn copy) throws SQLException {
            copy.writeToCopy(buf, 0, count);
        }
    }

    private interface Writing {
        void write() throws IOException;
    }
}
