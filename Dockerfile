# The service's image: built from the sources with the README's build command, run on a JRE.
#   docker build -t payouts .        or, with Postgres and Redis:   docker compose up --build
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, so a change of the sources does not download them again.
COPY pom.xml .
RUN mvn -q dependency:go-offline
COPY src src
COPY web-static web-static
RUN mvn -q package -DskipTests

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /app payouts
WORKDIR /app
COPY --from=build /src/target/payouts.jar /app/payouts.jar
USER payouts
EXPOSE 8080
# Bounded heap: the service's working set is small (see the README's Performance section).
ENTRYPOINT ["java", "-Xmx256m", "-jar", "/app/payouts.jar"]
CMD ["serve"]
