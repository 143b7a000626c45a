package com.driftremediator.domain;

import java.util.List;

/** Port: the instances that should run the app, and what each of them actually runs. */
public interface Fleet {
    List<Target> targets();

    Observation observe(Target target);
}
