package ai.moolai.control.instances;

import jakarta.validation.constraints.NotNull;

/**
 * An admin's decision on tokenless sessions for one orchestrator (the seed's client, which sends no
 * token, connects and polls as that orchestrator while they are allowed).
 *
 * @param allowed       whether they are allowed
 * @param evenWithToken the admin confirms allowing them for an orchestrator that holds a token, whose
 *                      identity anyone could then claim without it (default: no)
 */
record TokenlessRequest(@NotNull Boolean allowed, Boolean evenWithToken) {

    /** Whether the admin confirmed allowing tokenless sessions beside a token. */
    boolean confirmsEvenWithToken() {
        return Boolean.TRUE.equals(evenWithToken);
    }
}
