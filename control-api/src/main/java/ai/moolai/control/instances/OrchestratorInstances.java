package ai.moolai.control.instances;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.data.relational.core.sql.LockMode;
import org.springframework.data.relational.repository.Lock;
import org.springframework.data.repository.CrudRepository;

/** Orchestrator instances as aggregates. */
interface OrchestratorInstances extends CrudRepository<OrchestratorInstance, String> {

    /**
     * The instance, its row locked until the transaction ends: changes of one orchestrator follow
     * each other, so that each gets a version of its own.
     */
    @Lock(LockMode.PESSIMISTIC_WRITE)
    Optional<OrchestratorInstance> findLockedByOrchestratorId(String orchestratorId);

    /**
     * Those of these instances that exist, their rows locked until the transaction ends (in id
     * order): a change of any of them waits, and so queues its desired state after what this
     * transaction queues.
     */
    @Lock(LockMode.PESSIMISTIC_WRITE)
    List<OrchestratorInstance> findLockedByOrchestratorIdInOrderByOrchestratorId(Collection<String> orchestratorIds);
}
