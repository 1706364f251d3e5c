# One image recipe for every service: docker build --build-arg MODULE=ws-edge .
# Dashboard stage: the admin UI, which control-api serves.
FROM node:20-slim AS ui
WORKDIR /ui
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend ./
RUN npm run build

# Build stage: the module and what it depends on, with the Maven wrapper.
FROM eclipse-temurin:17-jdk AS build
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
RUN ./mvnw -q -B -pl ${MODULE} -am package -DskipTests && cp ${MODULE}/target/${MODULE}-exec.jar /app.jar

# Runtime stage: a JRE, curl for the health check, a user without privileges.
FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && groupadd --system mooli && useradd --system --gid mooli --home /app mooli \
    && mkdir -p /app/state && chown -R mooli:mooli /app
WORKDIR /app
COPY --from=build /app.jar /app/app.jar
COPY --from=ui /ui/dist /app/frontend
USER mooli
# Sized by the container's memory limit, not the host's.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=25 -XX:+ExitOnOutOfMemoryError" \
    FRONTEND_DIST=/app/frontend/
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
