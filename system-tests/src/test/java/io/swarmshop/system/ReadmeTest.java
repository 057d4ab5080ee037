package io.swarmshop.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshop.discovery.DiscoverySettings;
import io.swarmshop.service.Environment;
import io.swarmshop.service.ServiceApplication;
import io.swarmshop.service.ServiceSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** README and the docs against what the code and the scripts really do. */
class ReadmeTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern TICKED = Pattern.compile("`([^`]+)`");
  private static final Pattern PER_SERVICE = Pattern.compile("(CUSTOMERS|PRODUCTS|INVOICES|WEBAPP)_(URLS|DNS|PORT|CANARY_URLS|CANARY_DNS|CANARY_PORT|CANARY_PERCENT)");
  private static final List<Function<Environment, ServiceApplication>> SERVICES = List.of(io.swarmshop.customers.Main::application,
    io.swarmshop.products.Main::application, io.swarmshop.invoices.Main::application, io.swarmshop.webapp.Main::application,
    io.swarmshop.gateway.Main::application);

  /** Every setting any service reads, with the value it takes when unset; per-service names as {@code <NAME>_URLS}. */
  private static Map<String, String> settingsInCode() {
    Map<String, String> read = new TreeMap<>();
    for (Function<Environment, ServiceApplication> service : SERVICES) {
      Environment env = new Environment(Map.of());
      ServiceSettings.from(env);
      service.apply(env);
      env.read().forEach((name, value) -> read.put(PER_SERVICE.matcher(name).replaceAll("<NAME>_$2"), value));
    }
    return read;
  }

  /** The configuration table: each variable with its documented default, or null where README describes it in words. */
  private static Map<String, String> settingsInReadme() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    String section = readme.substring(readme.indexOf("## Configuration"), readme.indexOf("## How it behaves"));
    Map<String, String> documented = new TreeMap<>();
    for (String row : section.lines().filter(line -> line.startsWith("| `")).toList()) {
      String[] cells = row.split("\\|");
      List<String> names = ticked(cells[1]);
      // A default written in words ("number of cores") may still quote something: only a cell that starts quoted is a value.
      List<String> defaults = cells[2].trim().startsWith("`") ? ticked(cells[2]) : List.of();
      for (int i = 0; i < names.size(); i++) {
        documented.put(names.get(i), defaults.size() == names.size() ? defaults.get(i) : null);
      }
    }
    return documented;
  }

  private static List<String> ticked(String cell) {
    List<String> values = new ArrayList<>();
    Matcher matcher = TICKED.matcher(cell);
    while (matcher.find()) {
      values.add(matcher.group(1));
    }
    return values;
  }

  @Test
  void theConfigurationTableNamesEverySettingTheCodeReadsWithItsDefault() throws IOException {
    Map<String, String> code = settingsInCode();
    Map<String, String> readme = settingsInReadme();
    assertEquals(code.keySet(), readme.keySet(), "README's configuration table and the settings the services read");
    readme.forEach((name, documentedDefault) -> {
      if (documentedDefault != null && !name.startsWith("<NAME>")) {
        assertEquals(documentedDefault, code.get(name), "the default of " + name);
      }
    });
  }

  @Test
  void theDocsLinkOnlyToFilesInsideTheRepository() throws IOException {
    Pattern link = Pattern.compile("\\]\\(([^)#]+)(#[^)]*)?\\)");
    List<Path> documents = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(path -> path.toString().endsWith(".md")).forEach(documents::add);
    }
    for (Path document : documents) {
      Matcher matcher = link.matcher(Files.readString(document));
      while (matcher.find()) {
        String target = matcher.group(1);
        if (target.startsWith("https://") || target.startsWith("http://")) {
          continue;
        }
        Path resolved = document.getParent().resolve(target).normalize();
        assertTrue(resolved.startsWith(ROOT), document.getFileName() + " links outside the repository: " + target);
        assertTrue(Files.exists(resolved), document.getFileName() + " links to a file that is not there: " + target);
      }
    }
  }

  @Test
  void theScriptsNameTheServicesAndLocalPortsTheCodeDefaultsTo() throws IOException {
    String services = Files.readString(ROOT.resolve("scripts/lib/services.sh"));
    int line = services.indexOf("HTTP_PORTS=");
    Matcher ports = Pattern.compile("\\[(\\w+)]=(\\d+)").matcher(services.substring(line, services.indexOf('\n', line)));
    Map<String, Integer> scripted = new TreeMap<>();
    while (ports.find()) {
      scripted.put(ports.group(1), Integer.parseInt(ports.group(2)));
    }
    assertEquals(new TreeMap<>(DiscoverySettings.LOCAL_PORTS), scripted, "scripts/lib/services.sh against DiscoverySettings.LOCAL_PORTS");
  }
}
