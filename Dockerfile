# contresens HTTP service (and CLI). CPU by default; for a GPU build pass a CUDA wheel index:
#   docker build --build-arg TORCH_INDEX=https://download.pytorch.org/whl/cu126 -t contresens:gpu .
# Models are mounted at /models (read-only) unless baked in on a machine that can download them:
#   docker build --build-arg BAKE_MODELS=1 -t contresens:baked .
# See the README, "HTTP service" and "Docker".
FROM python:3.11-slim

ARG TORCH_VERSION=2.13.0
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu
ARG BAKE_MODELS=0

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    CONTRESENS_FORWARD_MODEL=/models/opus-mt-fr-en \
    CONTRESENS_BACKWARD_MODEL=/models/opus-mt-en-fr \
    CONTRESENS_OFFLINE=true HF_HUB_OFFLINE=1 \
    CONTRESENS_GLOSSARY_DIR=/app/corpora/glossary CONTRESENS_NAMES_DIR=/app/corpora/names

WORKDIR /app
# torch first, in its own cached layer (CPU wheel unless TORCH_INDEX says otherwise).
RUN pip install "torch==${TORCH_VERSION}" --index-url "${TORCH_INDEX}"
# The dependencies next, cached while only the code changes: install the project from its metadata
# alone, then remove the project itself and keep what it pulled in.
COPY pyproject.toml README.md ./
RUN mkdir service eval && touch service/__init__.py eval/__init__.py \
    && pip install . && pip uninstall -y contresens && rm -rf service eval
# Optional: the two opus-mt models baked into the image (needs network at build time).
RUN if [ "${BAKE_MODELS}" = "1" ]; then \
      HF_HUB_OFFLINE=0 hf download Helsinki-NLP/opus-mt-fr-en --local-dir /models/opus-mt-fr-en \
      && HF_HUB_OFFLINE=0 hf download Helsinki-NLP/opus-mt-en-fr --local-dir /models/opus-mt-en-fr; \
    fi
# The code and the shipped termbase and samples.
COPY service ./service
COPY eval ./eval
COPY corpora ./corpora
RUN pip install --no-deps . && useradd --create-home --uid 10001 contresens
USER contresens

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=180s --retries=3 \
    CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4).status != 200)"
ENTRYPOINT ["contresens"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
