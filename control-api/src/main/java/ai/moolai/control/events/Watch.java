package ai.moolai.control.events;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;

/**
 * The orchestrators a dashboard shows, as a Bloom filter it sends when it opens its event stream
 * ({@code watch}, base64url): the {@code fleet} events it is sent carry only the changes of
 * orchestrators the filter may hold, and a count of the others. Bounded in size whatever the ids,
 * so that it fits in a URL: at 16 bits an id and 4 hashes, about one id in 400 that it does not
 * hold is sent all the same, which the dashboard ignores.
 *
 * <p>The hashes, which the dashboard computes alike ({@code frontend/src/features/events/api/watch.ts}):
 * FNV-1a (32 bits) of the id's UTF-8 bytes with two offset bases, {@code h1} and {@code h2}; the
 * {@code i}-th of the 4 bits is {@code (h1 + i * h2) mod m} in unsigned 32-bit arithmetic, bit
 * {@code b} being bit {@code b % 8} (least significant first) of byte {@code b / 8}.
 */
final class Watch {

    /** The largest filter taken: 1 KiB, enough for 512 ids. */
    static final int MAX_BYTES = 1024;
    static final int HASHES = 4;
    private static final int FNV_PRIME = 0x01000193;
    private static final int BASIS = 0x811c9dc5;
    private static final int SECOND_BASIS = 0x5bd1e995;

    private final byte[] bits;

    private Watch(byte[] bits) {
        this.bits = bits;
    }

    /**
     * The filter in a stream's {@code watch} parameter.
     *
     * @throws IllegalArgumentException when it is not base64url, empty, over {@link #MAX_BYTES}, or
     *                                  has more than half its bits set (a dashboard's has about a
     *                                  fifth: such a filter holds nearly every id, and a stream
     *                                  that wants every change asks without one)
     */
    static Watch parse(String encoded) {
        if (encoded.length() > (MAX_BYTES * 4 + 2) / 3) {
            throw new IllegalArgumentException("watch is larger than " + MAX_BYTES + " bytes");
        }
        byte[] bits;
        try {
            bits = Base64.getUrlDecoder().decode(encoded);
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException("watch is not base64url: " + notBase64.getMessage());
        }
        if (bits.length == 0) {
            throw new IllegalArgumentException("watch is empty");
        }
        int set = 0;
        for (byte b : bits) {
            set += Integer.bitCount(b & 0xff);
        }
        if (set > bits.length * 8 / 2) {
            throw new IllegalArgumentException("watch has more than half its bits set: it would hold nearly every id "
                    + "(for every change, leave watch out)");
        }
        return new Watch(bits);
    }

    /** A filter of {@code bytes} bytes holding these ids, as a dashboard makes one. */
    static Watch of(Collection<String> ids, int bytes) {
        Watch watch = new Watch(new byte[bytes]);
        ids.forEach(id -> {
            int[] hashes = hashes(id);
            for (long bit : watch.bitsOf(hashes[0], hashes[1])) {
                watch.bits[(int) (bit / 8)] |= (byte) (1 << (bit % 8));
            }
        });
        return watch;
    }

    /** As sent in a stream's {@code watch} parameter. */
    String encoded() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    /** Whether it may hold the id: false means certainly not. */
    boolean mayHold(String id) {
        int[] hashes = hashes(id);
        return mayHold(hashes[0], hashes[1]);
    }

    /** Whether it may hold the id with these {@link #hashes}: computed once for an id, asked of every watch. */
    boolean mayHold(int h1, int h2) {
        for (long bit : bitsOf(h1, h2)) {
            if ((bits[(int) (bit / 8)] & (1 << (bit % 8))) == 0) {
                return false;
            }
        }
        return true;
    }

    /** The id's two hashes, {@code h1} and {@code h2}, whatever the filter's size. */
    static int[] hashes(String id) {
        byte[] utf8 = id.getBytes(StandardCharsets.UTF_8);
        return new int[] {fnv1a(utf8, BASIS), fnv1a(utf8, SECOND_BASIS)};
    }

    private long[] bitsOf(int h1, int h2) {
        long m = bits.length * 8L;
        long[] set = new long[HASHES];
        for (int i = 0; i < HASHES; i++) {
            set[i] = Integer.toUnsignedLong(h1 + i * h2) % m;
        }
        return set;
    }

    private static int fnv1a(byte[] bytes, int basis) {
        int hash = basis;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return hash;
    }
}
