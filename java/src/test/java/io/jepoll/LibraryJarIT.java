package io.jepoll;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What a user who depends on {@code io.jepoll:jepoll} gets: the library and its native library,
 * with JNA as its only dependency; the command line and picocli are another artifact's.
 */
class LibraryJarIT {

    private static final String POM = "META-INF/maven/io.jepoll/jepoll/pom.xml";

    @Test
    void theJarHoldsTheLibraryAndItsNativeLibraryButNoCommandLine() throws Exception {
        try (JarFile jar = new JarFile(LibraryJar.path().toFile())) {
            List<String> entries = jar.stream().map(entry -> entry.getName()).toList();

            assertThat(entries).contains("module-info.class", "io/jepoll/server/TcpServer.class",
                    "linux-x86-64/libjepoll.so", "META-INF/LICENSE", POM);
            assertThat(entries).noneMatch(name -> name.startsWith("io/jepoll/cli/"))
                    .noneMatch(name -> name.startsWith("picocli/"));
        }
    }

    @Test
    void itsSourcesAndJavadocAreBesideIt() throws Exception {
        try (JarFile sources = new JarFile(LibraryJar.attached("sources").toFile())) {
            assertThat(sources.getEntry("module-info.java")).isNotNull();
            assertThat(sources.getEntry("io/jepoll/server/TcpServer.java")).isNotNull();
        }
        try (JarFile javadoc = new JarFile(LibraryJar.attached("javadoc").toFile())) {
            List<String> pages = javadoc.stream().map(entry -> entry.getName()).toList();
            assertThat(pages).contains("io.jepoll/io/jepoll/server/TcpServer.html",
                    "io.jepoll/io/jepoll/net/Connection.html", "io.jepoll/module-summary.html");
            assertThat(pages).as("the binding is not API").noneMatch(page -> page.contains("io/jepoll/shim/"));
        }
    }

    /** The pom packaged in the jar is the one installed beside it, which a user's build resolves. */
    @Test
    void itsPomDependsOnJnaOnly() throws Exception {
        try (JarFile jar = new JarFile(LibraryJar.path().toFile());
                InputStream pom = jar.getInputStream(jar.getEntry(POM))) {
            Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom).getDocumentElement();

            assertThat(runtimeDependencies(project)).containsExactly("net.java.dev.jna:jna");
            assertThat(project.getTextContent()).doesNotContain("picocli");
        }
    }

    /** groupId:artifactId of each direct dependency a user's build would pull in (not test, provided or optional). */
    private static List<String> runtimeDependencies(Element project) {
        List<String> dependencies = new ArrayList<>();
        for (Element section : children(project, "dependencies")) {
            for (Element dependency : children(section, "dependency")) {
                String scope = text(dependency, "scope", "compile");
                if ((scope.equals("compile") || scope.equals("runtime")) && !text(dependency, "optional", "false")
                        .equals("true")) {
                    dependencies.add(text(dependency, "groupId", "") + ":" + text(dependency, "artifactId", ""));
                }
            }
        }
        return dependencies;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> children = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element && element.getTagName().equals(name)) {
                children.add(element);
            }
        }
        return children;
    }

    private static String text(Element parent, String name, String absent) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? absent : found.get(0).getTextContent().trim();
    }
}
