package ai.moolai.control.system;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One page of a list request: {@code page} from 0, {@code size} from 1 to 200, {@code sort} as
 * {@code field} or {@code field,asc|desc} among the fields an endpoint allows.
 *
 * @param page    the page, from 0
 * @param size    items per page
 * @param orderBy the SQL {@code ORDER BY} clause the sort maps to
 */
public record Paging(int page, int size, String orderBy) {

    public static final int MAX_SIZE = 200;

    /**
     * @param sortable API field name to SQL column, the first being the default sort
     */
    public static Paging of(Integer page, Integer size, String sort, Map<String, String> sortable, String defaultSort) {
        int p = page == null ? 0 : page;
        int s = size == null ? 50 : size;
        if (p < 0) {
            throw new IllegalArgumentException("page must be 0 or more");
        }
        if (s < 1 || s > MAX_SIZE) {
            throw new IllegalArgumentException("size must be between 1 and " + MAX_SIZE);
        }
        String[] parts = (sort == null || sort.isBlank() ? defaultSort : sort).split(",");
        String column = sortable.get(parts[0].trim());
        if (column == null) {
            throw new IllegalArgumentException("sort must be one of " + sortable.keySet());
        }
        String direction = parts.length > 1 ? parts[1].trim().toLowerCase(Locale.ROOT) : "asc";
        if (!direction.equals("asc") && !direction.equals("desc")) {
            throw new IllegalArgumentException("sort direction must be asc or desc");
        }
        return new Paging(p, s, column + " " + direction + " NULLS LAST");
    }

    public int offset() {
        return page * size;
    }

    /**
     * A page of results.
     *
     * @param items the items
     * @param page  which page
     * @param size  the page size asked for
     * @param total how many items there are in all
     */
    public record Page<T>(List<T> items, int page, int size, long total) {
    }

    public <T> Page<T> of(List<T> items, long total) {
        return new Page<>(items, page, size, total);
    }
}
