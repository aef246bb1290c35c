# contresens on CPU. Models are not baked in: mount opus-mt directories at /models
# (see README, "Models"), e.g. -v $PWD/models:/models:ro.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    CONTRESENS_FORWARD_MODEL=/models/opus-mt-fr-en \
    CONTRESENS_BACKWARD_MODEL=/models/opus-mt-en-fr \
    HF_HUB_OFFLINE=1 \
    CONTRESENS_GLOSSARY_DIR=/app/corpora/glossary

WORKDIR /app
# CPU torch first, in its own cached layer.
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
# Dependencies next (cached while only the code changes).
COPY pyproject.toml README.md ./
RUN mkdir service eval && touch service/__init__.py eval/__init__.py \
    && pip install . && pip uninstall -y contresens && rm -rf service eval
# The code.
COPY service ./service
COPY eval ./eval
COPY corpora ./corpora
RUN pip install --no-deps . && useradd --create-home --uid 10001 contresens
USER contresens
ENTRYPOINT ["contresens"]
CMD ["--help"]
