# AICMO in a container: the API, workers, the console and the ops shell all run from this image
# (the command picks the role). Build: docker build -t aicmo .   Used by compose.yaml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    AICMO_DATA_DIR=/var/lib/aicmo

# WeasyPrint (PDF export) needs Pango; fonts for readable PDFs and decks; curl for health checks.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/aicmo
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install . \
 && useradd --system --create-home --home-dir /var/lib/aicmo --uid 10001 aicmo \
 && mkdir -p /var/lib/aicmo/exports && chown -R aicmo:aicmo /var/lib/aicmo

USER aicmo
EXPOSE 8000 8501 8502
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
ENTRYPOINT ["aicmo"]
CMD ["api", "--host", "0.0.0.0", "--port", "8000"]
