package ai.moolai.admin;

import java.util.List;

/**
 * One page of a list.
 *
 * @param items this page's items
 * @param page  which page, from 0
 * @param size  the page size asked for
 * @param total how many items the whole list holds
 */
public record Page<T>(List<T> items, int page, int size, long total) {
}
