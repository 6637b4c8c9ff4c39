# CPU-only image of the nlp_service API. torch comes from PyTorch's CPU wheel index
# (PyPI's default torch wheel is the multi-GB CUDA build); the trained models are
# copied from models/ and verified against models/manifest.json at start-up; the build,
# as the server's user, caches jieba's dictionary in that user's private cache folder.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    NLPS_HOST=0.0.0.0 NLPS_PORT=8000 NLPS_MODELS_DIR=/app/models \
    NLPS_DATABASE_URL=sqlite:////app/data/nlp_service.db

WORKDIR /app
COPY pyproject.toml README.md ./
COPY nlp_service ./nlp_service
COPY models ./models
RUN pip install --extra-index-url https://download.pytorch.org/whl/cpu torch==2.13.0 \
    && pip install '.[postgres]' \
    && useradd --create-home --uid 10001 nlps \
    && mkdir -p /app/data && chown nlps /app/data

USER nlps
# the server's user builds the word dictionary's cache once, in its private cache folder
RUN python -c "from nlp_service.pipeline import Pipeline; Pipeline.build()"
VOLUME /app/data
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4).status == 200 else 1)"
CMD ["nlp-service", "serve"]
