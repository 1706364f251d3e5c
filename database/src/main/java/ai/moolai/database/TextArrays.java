package ai.moolai.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Columns of a multi-row statement, passed as one text array per column and spread with
 * {@code unnest(...)} in SQL (cast each column to its type there): one statement and one round
 * trip for a whole batch, whatever its size.
 */
public final class TextArrays {

    private final List<List<String>> columns = new ArrayList<>();

    public TextArrays(int columnCount) {
        for (int i = 0; i < columnCount; i++) {
            columns.add(new ArrayList<>());
        }
    }

    /** Adds one row; {@code null} stays SQL NULL, anything else becomes its text form. */
    public void add(Object... row) {
        for (int i = 0; i < row.length; i++) {
            columns.get(i).add(row[i] == null ? null : row[i].toString());
        }
    }

    public boolean isEmpty() {
        return columns.get(0).isEmpty();
    }

    /** A statement of {@code sql}, whose parameters are the columns in order, each a {@code text[]}. */
    public PreparedStatement bind(Connection connection, String sql) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < columns.size(); i++) {
            statement.setArray(i + 1, connection.createArrayOf("text", columns.get(i).toArray()));
        }
        return statement;
    }
}
