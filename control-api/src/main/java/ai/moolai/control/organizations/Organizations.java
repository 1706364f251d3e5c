package ai.moolai.control.organizations;

import java.util.Optional;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.relational.core.sql.LockMode;
import org.springframework.data.relational.repository.Lock;
import org.springframework.data.repository.CrudRepository;

/** Organizations as aggregates. */
public interface Organizations extends CrudRepository<Organization, String> {

    /** The organization, its row locked until the transaction ends. */
    @Lock(LockMode.PESSIMISTIC_WRITE)
    Optional<Organization> findLockedByOrganizationId(String organizationId);

    /** How many orchestrators it has. */
    @Query("SELECT count(*) FROM orchestrator_instances WHERE organization_id = :organizationId")
    long countOrchestrators(String organizationId);
}
