package com.payouts.domain;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The domain stays plain Java: no framework imports creep in. */
class DomainPurityTest {
  @Test
  void domainImportsNoFramework() throws IOException {
    Path dir = Path.of("src/main/java/com/payouts/domain");
    List<String> offenders;
    try (Stream<Path> files = Files.list(dir)) {
      offenders = files.filter(f -> {
        try {
          return Files.readAllLines(f).stream()
              .anyMatch(l -> l.startsWith("import io.vertx") || l.startsWith("import io.netty")
                  || l.startsWith("import com.fasterxml") || l.startsWith("import org.slf4j"));
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      }).map(Path::toString).toList();
    }
    assertTrue(offenders.isEmpty(), "framework imports in the domain: " + offenders);
  }
}
