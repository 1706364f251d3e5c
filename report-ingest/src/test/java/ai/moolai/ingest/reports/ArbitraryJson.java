package ai.moolai.ingest.reports;

import java.util.Random;

/**
 * Arbitrary JSON text from a seed, written by hand rather than by a JSON library so that it can
 * hold what a library would never write: escaped NUL and control characters, unpaired surrogates,
 * code points of every plane, numbers far beyond a double or finer than numeric keeps, long
 * strings, and nesting up to and past the protocol's limit.
 */
final class ArbitraryJson {

    private final Random random;
    /** Whether the object being written holds the odd values; one in three does, the rest are ordinary. */
    private boolean odd;

    ArbitraryJson(long seed) {
        this.random = new Random(seed);
    }

    /** A JSON object nested at most {@code maxDepth} levels. */
    String object(int maxDepth) {
        odd = random.nextInt(3) == 0;
        StringBuilder json = new StringBuilder();
        object(json, 1 + random.nextInt(maxDepth));
        return json.toString();
    }

    private void object(StringBuilder json, int depth) {
        json.append('{');
        int members = depth <= 1 ? random.nextInt(4) : 1 + random.nextInt(3);
        for (int i = 0; i < members; i++) {
            if (i > 0) {
                json.append(',');
            }
            string(json, 1 + random.nextInt(12));
            json.append(':');
            value(json, i == 0 ? depth - 1 : random.nextInt(Math.max(1, depth)));
        }
        json.append('}');
    }

    private void value(StringBuilder json, int depth) {
        if (depth > 0) {
            if (random.nextBoolean()) {
                object(json, depth);
            } else {
                json.append('[');
                value(json, depth - 1);
                json.append(']');
            }
            return;
        }
        switch (random.nextInt(6)) {
            case 0 -> string(json, random.nextInt(10) == 0 ? 1000 + random.nextInt(5000) : random.nextInt(40));
            case 1 -> json.append(odd ? number() : Double.toString(random.nextGaussian() * 1000));
            case 2 -> json.append(random.nextBoolean());
            case 3 -> json.append("null");
            case 4 -> json.append(random.nextLong());
            default -> json.append(random.nextDouble() * Math.pow(10, random.nextInt(600) - 300));
        }
    }

    private String number() {
        String mantissa = (random.nextBoolean() ? "-" : "") + (1 + random.nextInt(9)) + "." + random.nextInt(1000);
        int exponent = switch (random.nextInt(4)) {
            case 0 -> random.nextInt(400) - 200;
            case 1 -> 300 + random.nextInt(200);
            case 2 -> -(300 + random.nextInt(20000));
            default -> random.nextInt(200000) - 100000;
        };
        return mantissa + "e" + exponent;
    }

    /** In an odd object, strings hold the odd characters; elsewhere they are ordinary text of every plane. */
    private void string(StringBuilder json, int length) {
        json.append('"');
        for (int i = 0; i < length; i++) {
            switch (odd ? random.nextInt(10) : 2 + random.nextInt(8)) {
                case 0 -> json.append(String.format("\\u%04x", random.nextInt(0x20)));
                case 1 -> json.append(String.format("\\u%04x", 0xD800 + random.nextInt(0x800)));
                case 2 -> json.appendCodePoint(0x10000 + random.nextInt(0x100000 - 0x10000));
                case 3 -> json.append(random.nextBoolean() ? "\\\"" : "\\\\");
                default -> {
                    int codePoint = random.nextInt(0xFFFF);
                    if (codePoint < 0x20 || codePoint == '"' || codePoint == '\\' || Character.isSurrogate((char) codePoint)) {
                        codePoint = 'a' + random.nextInt(26);
                    }
                    json.appendCodePoint(codePoint);
                }
            }
        }
        json.append('"');
    }
}
