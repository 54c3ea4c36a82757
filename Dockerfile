# hero-server as a container for Azure App Service: built with the official Swift image on
# Debian bookworm, run on Debian bookworm (slim) as a non-root user, with the database under
# /home/data (App Service's persistent /home share; see README, "Deploy to Azure", for the
# journal mode this needs).
#
# Debian on both sides, on purpose: `make image-check` (scripts/image-check.sh) builds the
# binary on this project's machines, which are bookworm, exactly as the build stage does, and
# runs it in a debootstrap of the runtime stage's distribution with the packages below. With
# the same distribution in both stages here, that binary is the image's binary (same glibc
# and libsqlite3), and the root filesystem is the runtime image's. hero-server links no
# libcurl (its outbound client is SwiftNIO's); curl is here for the health check.

# The toolchain of .swift-version (scripts/check-swift-version.sh holds this line to it).
ARG SWIFT_VERSION=6.3.1
FROM swift:${SWIFT_VERSION}-bookworm AS build
# Unpinned on purpose: the -dev packages must match the libraries of the runtime stage,
# which takes Debian's security updates at each build.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libsqlite3-dev libssl-dev libcurl4-openssl-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Package.swift names every target, so all their folders must be present to resolve.
COPY Package.swift ./
COPY Modules Modules
COPY Apps Apps
COPY Tests Tests
COPY Tools Tools
RUN swift build -c release --product hero-server --static-swift-stdlib \
    && install -D "$(swift build -c release --show-bin-path)/hero-server" /staging/hero-server

FROM debian:bookworm-slim
# The commit the image is built from: hero-server logs it and answers it on /version.
ARG COMMIT=""
# The user and its group are both 10001, as USER names them (useradd --system --user-group
# would give the group a system gid below 1000, and the process a gid no group has).
# Unpinned on purpose: the runtime takes Debian's security updates at each build.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libsqlite3-0 ca-certificates tzdata curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 hero \
    && useradd --system --uid 10001 --gid 10001 --no-create-home hero \
    && mkdir -p /home/data \
    && chown hero:hero /home/data
COPY --from=build /staging/hero-server /usr/local/bin/hero-server
USER 10001:10001
ENV HOST=0.0.0.0 \
    PORT=8080 \
    HVALFANGST_DB_PATH=/home/data/heroes.sqlite \
    HVALFANGST_COMMIT=${COMMIT}
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["/usr/local/bin/hero-server"]
