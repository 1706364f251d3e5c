package ai.moolai.control.reports;

import java.util.Optional;

import org.springframework.data.relational.core.sql.LockMode;
import org.springframework.data.relational.repository.Lock;
import org.springframework.data.repository.Repository;

/** Recommendations as aggregates, for deciding on them; report-ingest adds them. */
interface Recommendations extends Repository<Recommendation, Long> {

    /** The recommendation, its row locked until the transaction ends: two admins cannot both decide it. */
    @Lock(LockMode.PESSIMISTIC_WRITE)
    Optional<Recommendation> findLockedById(long id);

    Recommendation save(Recommendation recommendation);
}
