# syntax=docker/dockerfile:1
# The one Yumiao image pattern: registry, scoring, notify and the gateway all build from this file;
# the build arguments name the service. Build from the repository root (libs/common, distribution
# yumiao-common, installs from the repo: one copy of the shared code). docker-compose.yml holds the
# four argument sets; by hand, e.g. for scoring:
#   docker build --build-arg SERVICE=scoring --build-arg DIST_DIR=services/scoring \
#     --build-arg ENV_PREFIX=SCORING --build-arg PORT=8002 -t yumiao/scoring .
#
#   SERVICE     image name and Python package (registry | scoring | notify | gateway)
#   DIST_DIR    the service's tree in the repo (services/<name>, or gateway)
#   ENV_PREFIX  prefix of the service's settings (REGISTRY -> REGISTRY_BIND)
#   PORT        the HTTP port gunicorn binds and the health check probes
#
# The same image runs every process of its service (DEVELOPING.md, "Processes"): gunicorn (default
# CMD), `flask --app <service>.app migrate | ...`, `python -m <service>.relay | consumer | sender`.
# No secret is baked in: database URL, broker URL, tokens and keys come from the environment.
#
# Base image: PYTHON_IMAGE below is the one place it is named, for every build (compose, CI,
# release). At release pin it by digest, e.g. resolve the tag with
#   docker buildx imagetools inspect python:3.11-slim --format '{{json .Manifest.Digest}}'
# and write python:3.11-slim@sha256:<digest> here; `make images RELEASE=1` refuses a tag without
# a digest. (This repository's machines have no registry access, so the pin is set at release.)
ARG PYTHON_IMAGE=python:3.11-slim

# ---- build: a virtualenv with the locked dependencies, yumiao-common and the service ---------
FROM ${PYTHON_IMAGE} AS build
ARG SERVICE
ARG DIST_DIR
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN test -n "${SERVICE}" && test -n "${DIST_DIR}" \
 && python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app
# Third-party packages come only from the lock, each checked against its hash (runtime set: no
# dev tools). Copied first so this layer is reused while only the code changes.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
# Demo builds only (DEMO=1: compose's seed-registry, `make images DEMO=1` for the k8s dev
# overlay): the synthetic demo data tool tools/demo (yumiao-demo), which adds the command
# `flask --app registry.app seed-demo`. Mounted for the install, never copied, so any other
# build holds no trace of it. Its dependencies are the registry's, already installed.
ARG DEMO=""
RUN --mount=type=bind,source=tools/demo,target=/tmp/yumiao-demo,rw \
    if [ -n "${DEMO}" ]; then pip install --no-deps --no-build-isolation /tmp/yumiao-demo; fi
COPY libs/common/ libs/common/
COPY ${DIST_DIR}/ ${DIST_DIR}/
# yumiao-common and the service add no dependency of their own (--no-deps) and build with the
# locked setuptools (--no-build-isolation). The service is installed editable so the tree keeps
# the repo's shape (/app/<DIST_DIR>/{alembic.ini,migrations,gunicorn.conf.py,src}): the migrate
# command finds alembic.ini relative to its own source file, and the commands of DEVELOPING.md
# run as written from WORKDIR /app. Byte-code is compiled here because the root filesystem is
# read-only at run time.
RUN pip install --no-deps --no-build-isolation ./libs/common -e "./${DIST_DIR}" \
 && python -c "import ${SERVICE}.app" \
 && python -m compileall -q /opt/venv "/app/${DIST_DIR}/src"

# ---- runtime: the virtualenv and the service tree, nothing else -------------------------------
FROM ${PYTHON_IMAGE} AS runtime
ARG SERVICE
ARG DIST_DIR
ARG ENV_PREFIX
ARG PORT
LABEL org.opencontainers.image.title="yumiao-${SERVICE}" \
      org.opencontainers.image.description="Yumiao ${SERVICE} service (port ${PORT})"
RUN groupadd --system --gid 10001 yumiao \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin yumiao
# The registry's progress report PDF embeds a CJK TrueType font (WenQuanYi Zen Hei, Debian's
# fonts-wqy-zenhei; registry/adapters/files/progress_pdf.py); the other services need no font.
RUN if [ "${SERVICE}" = registry ]; then \
      apt-get update && apt-get install -y --no-install-recommends fonts-wqy-zenhei \
      && rm -rf /var/lib/apt/lists/*; \
    fi
# The registry's local evidence store (firms' yearly-report files, REGISTRY_EVIDENCE_DIR) lives on
# a volume mounted here; the directory exists in the image, owned by the service user, so a new
# named volume copies that ownership and the process can write to it.
RUN if [ "${SERVICE}" = registry ]; then \
      mkdir -p /var/lib/yumiao/evidence && chown 10001:10001 /var/lib/yumiao/evidence; \
    fi
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app/${DIST_DIR} /app/${DIST_DIR}
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ${ENV_PREFIX}_BIND=0.0.0.0:${PORT} \
    YUMIAO_DIST_DIR=${DIST_DIR} \
    YUMIAO_PORT=${PORT} \
    WEB_CONCURRENCY=2
WORKDIR /app
# Numeric user so Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
USER 10001:10001
EXPOSE ${PORT}
# /healthz is open (no internal token) and checks only that the process serves; the slim image
# has no curl, so Python asks. Worker containers from this image disable it (no HTTP there).
# HEALTHCHECK and CMD do not expand build arguments: they read the ENV set above at run time.
HEALTHCHECK --interval=15s --timeout=4s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ['YUMIAO_PORT'] + '/healthz', timeout=3)"]
# Shell form only to expand YUMIAO_DIST_DIR; `exec` makes gunicorn PID 1 so it receives SIGTERM.
CMD exec gunicorn -c "${YUMIAO_DIST_DIR}/gunicorn.conf.py"
