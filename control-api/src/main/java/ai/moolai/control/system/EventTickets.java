package ai.moolai.control.system;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;

/**
 * Short-lived, single-use tickets that open the dashboard's event stream, so that no bearer token
 * travels in a URL (where proxies and load balancers log it). A caller with a bearer token asks
 * for one ({@code POST /api/v1/events/tickets}) and opens {@code GET /api/v1/events?ticket=…}
 * with it within {@link #VALIDITY}; the stream then runs on the {@link Credential} that asked for
 * the ticket, and ends when that credential expires or is revoked.
 *
 * <p>A ticket is self-contained: the credential (subject, role, expiry, a static token's hash) and
 * the ticket's own expiry, sealed with AES-GCM. Sealed rather than only signed, so that a logged
 * URL reveals neither who asked nor in which role. Self-contained, so that no replica has to share
 * state with another: with {@code controller.security.event-stream.ticket-key} set alike on every
 * replica, any replica opens a stream for a ticket another one issued, and checks the credential
 * against its own configuration. Without a configured key each replica seals with a random key of
 * its own, and a load balancer must send a browser's {@code POST} and {@code GET} to the same
 * replica.
 *
 * <p>Single use holds per replica: each replica remembers the tickets it has honoured until they
 * expire, at most {@link #MAX_SPENT} of them; beyond that it refuses tickets until some expire
 * rather than forget one. With a shared key, one ticket might open one stream at each replica within
 * its {@link #VALIDITY}; with a key per replica it opens exactly one.
 */
@Component
public class EventTickets {

    /** How long a ticket may be used, at most (less when the credential expires sooner). */
    static final Duration VALIDITY = Duration.ofSeconds(30);
    /** The most used tickets a replica remembers; it forgets the expired ones when it reaches this many. */
    static final int MAX_SPENT = 10_000;

    private static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int MAX_TICKET_LENGTH = 2048;
    private static final byte[] PURPOSE = "mooli event ticket v1".getBytes(StandardCharsets.UTF_8);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * A ticket, as {@code POST /api/v1/events/tickets} answers.
     *
     * @param ticket    the value for {@code GET /api/v1/events?ticket=} (URL-safe)
     * @param expiresAt when it stops opening a stream
     */
    public record Ticket(String ticket, Instant expiresAt) {
    }

    private final SecretKey key;
    private final ApiTokens tokens;
    private final Clock clock;
    /** The initialization vectors of the tickets honoured, with their expiry; swept when full. */
    private final Map<ByteBuffer, Instant> spent = new ConcurrentHashMap<>();

    @Autowired
    EventTickets(EventStreamProperties properties, ApiTokens tokens) {
        this(properties, tokens, Clock.systemUTC());
    }

    EventTickets(EventStreamProperties properties, ApiTokens tokens, Clock clock) {
        this.key = key(properties.ticketKey());
        this.tokens = tokens;
        this.clock = clock;
    }

    /** A ticket for the credential the caller signed in with: a static token or a JWT. */
    public Ticket issue(Authentication caller) {
        Credential credential = credentialOf(caller);
        Instant expiresAt = clock.instant().plus(VALIDITY).truncatedTo(ChronoUnit.MILLIS);
        if (credential.expiresAt() != null && credential.expiresAt().isBefore(expiresAt)) {
            expiresAt = credential.expiresAt().truncatedTo(ChronoUnit.MILLIS);
        }
        return new Ticket(seal(expiresAt, credential), expiresAt);
    }

    /**
     * The credential a ticket was issued for, the first time it is presented here before it expires,
     * while the credential is still honoured; empty for anything else.
     */
    Optional<Credential> redeem(String ticket) {
        Optional<Sealed> opened = open(ticket);
        Instant now = clock.instant();
        if (opened.isEmpty() || !now.isBefore(opened.get().expiresAt()) || !honours(opened.get().credential())) {
            return Optional.empty();
        }
        if (spent.size() >= MAX_SPENT) {
            spent.values().removeIf(expiry -> !now.isBefore(expiry));
        }
        if (spent.size() >= MAX_SPENT || spent.putIfAbsent(opened.get().iv(), opened.get().expiresAt()) != null) {
            return Optional.empty();
        }
        return Optional.of(opened.get().credential());
    }

    /** Whether a credential still holds: not expired, and a static token still configured with its role. */
    public boolean honours(Credential credential) {
        return !credential.expiredAt(clock.instant())
                && (credential.staticTokenHash() == null || tokens.honours(credential));
    }

    private static Credential credentialOf(Authentication caller) {
        if (caller.getDetails() instanceof Credential staticToken) {
            return staticToken;
        }
        if (caller instanceof JwtAuthenticationToken jwt) {
            return new Credential(jwt.getName(), Actor.of(jwt).role(), jwt.getToken().getExpiresAt(), null);
        }
        throw new IllegalArgumentException("no event ticket for a " + caller.getClass().getSimpleName());
    }

    private String seal(Instant expiresAt, Credential credential) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            ByteArrayOutputStream plain = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(plain);
            out.writeLong(expiresAt.toEpochMilli());
            out.writeUTF(credential.subject());
            out.writeUTF(credential.role().name());
            out.writeBoolean(credential.expiresAt() != null);
            out.writeLong(credential.expiresAt() == null ? 0 : credential.expiresAt().toEpochMilli());
            out.writeUTF(credential.staticTokenHash() == null ? "" : credential.staticTokenHash());
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, iv);
            byte[] sealed = cipher.doFinal(plain.toByteArray());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal an event ticket", e);
        }
    }

    private Optional<Sealed> open(String ticket) {
        if (ticket == null || ticket.length() > MAX_TICKET_LENGTH) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(ticket);
            if (bytes.length <= IV_BYTES + TAG_BITS / 8) {
                return Optional.empty();
            }
            byte[] iv = Arrays.copyOf(bytes, IV_BYTES);
            byte[] plain = cipher(Cipher.DECRYPT_MODE, iv).doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES);
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain));
            Instant expiresAt = Instant.ofEpochMilli(in.readLong());
            String subject = in.readUTF();
            Role role = Role.valueOf(in.readUTF());
            boolean expires = in.readBoolean();
            long credentialExpiry = in.readLong();
            String hash = in.readUTF();
            Credential credential = new Credential(subject, role, expires ? Instant.ofEpochMilli(credentialExpiry) : null,
                    hash.isEmpty() ? null : hash);
            return Optional.of(new Sealed(ByteBuffer.wrap(iv), expiresAt, credential));
        } catch (IllegalArgumentException | IOException | GeneralSecurityException notOurs) {
            return Optional.empty();
        }
    }

    private Cipher cipher(int mode, byte[] iv) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(PURPOSE);
        return cipher;
    }

    /** The configured secret, stretched to an AES key for this purpose only; or a random key when none is set. */
    private static SecretKey key(String configured) {
        if (configured == null || configured.isBlank()) {
            byte[] random = new byte[KEY_BYTES];
            RANDOM.nextBytes(random);
            return new SecretKeySpec(random, "AES");
        }
        if (configured.length() < CredentialsRefused.MINIMUM_TOKEN_LENGTH) {
            throw CredentialsRefused.tooShort("EVENT_TICKET_KEY (controller.security.event-stream.ticket-key)");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(configured.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return new SecretKeySpec(mac.doFinal(PURPOSE), "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }

    private record Sealed(ByteBuffer iv, Instant expiresAt, Credential credential) {
    }
}
