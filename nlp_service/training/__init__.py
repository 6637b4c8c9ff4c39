"""Training scripts for the models shipped in ``models/`` (run through ``nlp-service train``)."""
