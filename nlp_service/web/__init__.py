"""Web pages served by ``nlp-service serve`` next to the API (``/``, ``/search``, ``/tracking``, ``/dedup``)."""
