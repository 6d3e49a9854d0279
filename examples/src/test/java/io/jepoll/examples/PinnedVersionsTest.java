package io.jepoll.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * This project has no parent, so it repeats the versions the jepoll repository pins in its root
 * pom; they must not drift apart, nor may the jepoll version it uses differ from the one built
 * beside it.
 */
class PinnedVersionsTest {

    private static final Path OWN_POM = Path.of("pom.xml");
    private static final Path ROOT_POM = Path.of("..", "pom.xml");

    @Test
    void everyVersionRepeatedHereIsTheRootPomsVersion() throws Exception {
        assumeTrue(Files.isRegularFile(ROOT_POM) && "jepoll-parent".equals(child(parse(ROOT_POM), "artifactId")),
                "not inside the jepoll repository: no root pom to compare with");
        Document root = parse(ROOT_POM);
        Map<String, String> own = properties(parse(OWN_POM));
        Map<String, String> pinned = properties(root);

        String rootVersion = child(root, "version");
        if ("${revision}".equals(rootVersion)) {
            rootVersion = pinned.get("revision");
        }
        assertThat(own.get("jepoll.version")).as("jepoll.version").isEqualTo(rootVersion);
        Map<String, String> shared = new LinkedHashMap<>();
        own.forEach((name, value) -> {
            if (name.endsWith(".version") && !name.equals("jepoll.version")) {
                shared.put(name, value);
            }
        });
        assertThat(shared).as("versions in examples/pom.xml").isNotEmpty();
        shared.forEach((name, value) -> assertThat(value).as(name + " (the root pom has %s)", pinned.get(name))
                .isEqualTo(pinned.get(name)));
    }

    private static Document parse(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    /** The text of a direct child of the project element. */
    private static String child(Document pom, String name) {
        for (Node node = pom.getDocumentElement().getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element.getTextContent().trim();
            }
        }
        return null;
    }

    private static Map<String, String> properties(Document pom) {
        Map<String, String> properties = new LinkedHashMap<>();
        NodeList sections = pom.getDocumentElement().getElementsByTagName("properties");
        for (int s = 0; s < sections.getLength(); s++) {
            if (sections.item(s).getParentNode() != pom.getDocumentElement()) {
                continue;
            }
            for (Node node = sections.item(s).getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element element) {
                    properties.put(element.getTagName(), element.getTextContent().trim());
                }
            }
        }
        return properties;
    }
}
