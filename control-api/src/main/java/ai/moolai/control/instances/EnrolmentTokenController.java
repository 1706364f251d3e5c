package ai.moolai.control.instances;

import java.net.URI;
import java.util.List;

import ai.moolai.control.system.Actor;
import ai.moolai.control.system.Ids;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * An organization's enrolment tokens, {@code /api/v1/controller/organizations/{id}/enrolment-tokens}:
 * made (the token shown once), listed, revoked.
 */
@RestController
@Validated
class EnrolmentTokenController {

    private static final String TOKENS = "/api/v1/controller/organizations/{id}/enrolment-tokens";

    private final EnrolmentTokens tokens;

    EnrolmentTokenController(EnrolmentTokens tokens) {
        this.tokens = tokens;
    }

    @GetMapping(TOKENS)
    List<EnrolmentTokenView> list(@PathVariable @Pattern(regexp = Ids.PATTERN) String id) {
        return tokens.list(id);
    }

    @PostMapping(TOKENS)
    ResponseEntity<EnrolmentTokenView.WithToken> create(@PathVariable @Pattern(regexp = Ids.PATTERN) String id,
                                                        @Valid @RequestBody EnrolmentTokenRequest request) {
        EnrolmentTokenView.WithToken created = tokens.create(id, request, Actor.current());
        return ResponseEntity.created(URI.create("/api/v1/controller/organizations/" + id + "/enrolment-tokens/"
                + created.enrolmentToken().tokenId())).body(created);
    }

    /** Revokes it: it enrols nobody from now on; the orchestrators it enrolled keep their own tokens. */
    @DeleteMapping(TOKENS + "/{tokenId}")
    EnrolmentTokenView revoke(@PathVariable @Pattern(regexp = Ids.PATTERN) String id,
                              @PathVariable @Pattern(regexp = "^et-[0-9a-f]{12}$") String tokenId) {
        return tokens.revoke(id, tokenId, Actor.current());
    }
}
