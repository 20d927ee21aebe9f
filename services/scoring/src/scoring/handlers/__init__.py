"""scoring's use cases, one module per topic; keyword-only, taking a Session, never committing.

* ``profiles`` — registry snapshots into the read model, re-evaluating what changed;
* ``evaluations`` — evaluate profiles and store the results (the one write path);
* ``eligibility_events`` — ``scoring.eligibility.changed`` into the outbox;
* ``parameters`` — the local-parameter catalogue and the bureau's audited overrides;
* ``reevaluations`` — preview and activation of a re-evaluation job.
"""
