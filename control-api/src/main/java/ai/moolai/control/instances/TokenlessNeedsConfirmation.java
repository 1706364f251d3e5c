package ai.moolai.control.instances;

import ai.moolai.control.system.Conflict;

/** Tokenless sessions were to be allowed for an orchestrator that holds a token, without the admin confirming it. */
class TokenlessNeedsConfirmation extends Conflict {

    TokenlessNeedsConfirmation(String orchestratorId) {
        super("orchestrator " + orchestratorId + " holds a token: allowing tokenless sessions would let anyone connect "
                + "as it without that token; send \"evenWithToken\": true to allow them anyway");
    }
}
