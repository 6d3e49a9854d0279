package io.jepoll;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The packages are layers, and a package imports only from layers below it: read by jdeps from
 * the compiled classes, so a new import that points up (or a cycle) fails the build.
 */
class LayeringTest {

    /** Bottom first. Packages in one layer may not import each other either. */
    private static final List<Set<String>> LAYERS = List.of(
            Set.of("io.jepoll.shim", "io.jepoll.net"),
            Set.of("io.jepoll.loop", "io.jepoll.tls", "io.jepoll.proxy"),
            Set.of("io.jepoll.server"),
            Set.of("io.jepoll.echo", "io.jepoll.http"));

    /** What users program against; the binding stays inside. */
    private static final Set<String> EXPORTED = Set.of("io.jepoll.net", "io.jepoll.loop", "io.jepoll.tls",
            "io.jepoll.proxy", "io.jepoll.server", "io.jepoll.echo", "io.jepoll.http");

    private static final Path CLASSES = Path.of("target", "classes");
    private static final Pattern EDGE = Pattern.compile("^\\s*(io\\.jepoll\\.[\\w.]+)\\s+->\\s+(io\\.jepoll\\.[\\w.]+)\\s");

    @Test
    void everyPackageImportsOnlyFromLayersBelowIt() {
        Map<String, Set<String>> imports = packageImports();
        assertThat(imports.keySet()).as("packages found by jdeps").containsAll(EXPORTED);

        List<String> upward = new ArrayList<>();
        for (Map.Entry<String, Set<String>> entry : imports.entrySet()) {
            String from = entry.getKey();
            assertThat(layerOf(from)).as("the layer of %s (add it to LAYERS)", from).isNotNegative();
            for (String to : entry.getValue()) {
                if (!to.equals(from) && layerOf(to) >= layerOf(from)) {
                    upward.add(from + " -> " + to);
                }
            }
        }
        assertThat(upward).as("imports that point sideways or up (layers, bottom first: %s)", LAYERS).isEmpty();
    }

    @Test
    void theModuleExportsOnlyTheApi() {
        ModuleDescriptor module = ModuleFinder.of(CLASSES).findAll().iterator().next().descriptor();

        assertThat(module.name()).isEqualTo("io.jepoll");
        assertThat(module.exports()).allMatch(export -> !export.isQualified())
                .extracting(ModuleDescriptor.Exports::source).containsExactlyInAnyOrderElementsOf(EXPORTED);
        assertThat(module.packages()).contains("io.jepoll.shim");
        assertThat(module.requires()).extracting(ModuleDescriptor.Requires::name)
                .containsExactlyInAnyOrder("java.base", "com.sun.jna");
    }

    private static int layerOf(String pkg) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(pkg)) {
                return i;
            }
        }
        return -1;
    }

    private static Map<String, Set<String>> packageImports() {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        String modulePath = java.util.Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.contains("jna-"))
                .collect(Collectors.joining(File.pathSeparator));
        StringWriter out = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package", "-filter:none",
                "--module-path", modulePath, CLASSES.toString());
        assertThat(status).as("jdeps exit status; its output:%n%s", out).isZero();

        Map<String, Set<String>> imports = new java.util.TreeMap<>();
        for (String line : out.toString().split("\n")) {
            Matcher edge = EDGE.matcher(line);
            if (edge.find()) {
                imports.computeIfAbsent(edge.group(1), pkg -> new TreeSet<>()).add(edge.group(2));
            }
        }
        assertThat(imports).as("package edges read from jdeps; its output:%n%s", out).isNotEmpty();
        return imports;
    }
}
