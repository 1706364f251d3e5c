# One image recipe for every service: docker build --build-arg MODULE=ws-edge .
# Base images are pinned to an exact release: a rebuild gets the same JDK, JRE and Node, and a
# newer one arrives as a change to this file.
# Dashboard stage: the admin UI, which control-api serves, built on a Node LTS release.
FROM node:22.12.0-bookworm-slim AS ui
WORKDIR /ui
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend ./
RUN npm run build

# Build stage: the module and what it depends on, with the Maven wrapper.
FROM eclipse-temurin:17.0.13_11-jdk-jammy AS build
ARG MODULE
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY protocol protocol
COPY database database
COPY admin-client admin-client
COPY child-process child-process
COPY test-support test-support
COPY service-support service-support
COPY ws-edge ws-edge
COPY liveness-stream liveness-stream
COPY control-api control-api
COPY report-ingest report-ingest
COPY orchestrator-agent orchestrator-agent
COPY frontend frontend
COPY dev-stack dev-stack
COPY fleet-bench fleet-bench
COPY e2e e2e
# The jar split into its layers, least often changed first: a new build of the module changes only
# the last layer, and a rebuild or a pull fetches only that.
RUN ./mvnw -q -B -pl ${MODULE} -am package -DskipTests \
    && java -Djarmode=tools -jar ${MODULE}/target/${MODULE}-exec.jar extract --layers --launcher --destination /layers

# Runtime stage: a JRE, curl for the health check, a user without privileges (uid 10001, which
# deploy/k8s runs as).
FROM eclipse-temurin:17.0.13_11-jre-jammy
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 mooli && useradd --system --uid 10001 --gid mooli --home /app mooli \
    && mkdir -p /app/state && chown -R mooli:mooli /app
WORKDIR /app
COPY --from=build /layers/dependencies/ /app/
COPY --from=build /layers/spring-boot-loader/ /app/
COPY --from=build /layers/snapshot-dependencies/ /app/
COPY --from=ui /ui/dist /app/frontend
COPY --from=build /layers/application/ /app/
USER mooli
# Sized by the container's memory limit, not the host's.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=25 -XX:+ExitOnOutOfMemoryError" \
    FRONTEND_DIST=/app/frontend/
# The JVM is PID 1 and gets the SIGTERM a stop sends: each service shuts down gracefully within its
# stop_grace_period (docker-compose.yml) or terminationGracePeriodSeconds (deploy/k8s).
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
