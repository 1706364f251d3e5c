package ai.moolai.control.activity;

import java.util.Map;

import ai.moolai.control.system.Actor;

/**
 * A domain event the activity log records, in the transaction of the change it announces.
 */
public interface Audited {

    /** Who did it. */
    Actor actor();

    /** What was done, such as {@code orchestrator.independence.set}. */
    String action();

    /** The kind of target, such as {@code orchestrator}. */
    String targetType();

    /** The target's id. */
    String targetId();

    /** What changed. */
    Map<String, ?> details();
}
