package com.payouts.app;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Docker does not run on the project's machines, so what can be checked without it is checked here:
 * the image is built with the README's build command, and compose builds the service from this
 * checkout, waits for healthy dependencies and publishes only the service's port.
 */
class DeliveryFilesTest {
  static final Pattern BUILD = Pattern.compile("mvn [^&\\n]*package[^&\\n]*?-DskipTests");

  static String read(String file) throws IOException {
    return Files.readString(Path.of(file));
  }

  @Test
  void theImageIsBuiltWithTheReadmesBuildCommand() throws IOException {
    Matcher readme = BUILD.matcher(read("README.md"));
    assertTrue(readme.find(), "the README names a build command");
    Matcher docker = BUILD.matcher(read("Dockerfile"));
    assertTrue(docker.find(), "the Dockerfile runs a build command");
    assertEquals(readme.group(), docker.group());
    assertTrue(read("Dockerfile").contains("COPY --from=build /src/target/payouts.jar"), "a multi-stage build");
  }

  @Test
  void composeBuildsTheServiceAndPublishesOnlyItsPort() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("docker-compose.yml"));
    String service = null;
    List<String> publishing = new ArrayList<>();
    boolean serviceBuilds = false;
    int healthyDependencies = 0;
    int healthchecks = 0;
    for (String line : lines) {
      Matcher name = Pattern.compile("^  ([a-z0-9_-]+):\\s*$").matcher(line);
      if (name.matches()) service = name.group(1);
      if (line.matches("^\\s+ports:.*")) publishing.add(service);
      if ("payouts".equals(service) && line.matches("^\\s+build:\\s*\\.\\s*$")) serviceBuilds = true;
      if (line.contains("condition: service_healthy")) healthyDependencies++;
      if (line.matches("^\\s+healthcheck:\\s*$")) healthchecks++;
    }
    assertEquals(List.of("payouts"), publishing, "only the service publishes a port");
    assertTrue(serviceBuilds, "the service is built from this checkout");
    assertEquals(2, healthyDependencies, "it waits for healthy Postgres and Redis");
    assertEquals(2, healthchecks, "Postgres and Redis say when they are healthy");
    assertFalse(read("docker-compose.yml").contains("target/payouts.jar"), "no jar a fresh clone lacks");
  }
}
