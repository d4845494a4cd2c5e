package org.lockergate.management.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.felix.cm.file.ConfigurationHandler;
import org.junit.jupiter.api.Test;

/** What we write, Felix's own reader (the one fileinstall uses for .config files) reads back with the same types. */
class ConfigFileFormatTest {

    @Test
    void felixReadsBackEveryTypeAndNonAsciiText() throws Exception {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("name", "一号柜组 \"North\" \\ gate");
        props.put("count", 200);
        props.put("big", 5_000_000_000L);
        props.put("enabled", true);
        props.put("share", 0.35d);
        props.put("ratio", 1.5f);
        props.put("companies", new String[] {"JT", "ZTO", "中通"});
        props.put("ports", new Integer[] {5683, 5684});
        props.put("dotted.key-name_x", "v");

        String text = ConfigFileFormat.write(props);
        assertThat(text).isEqualTo(new String(text.getBytes(StandardCharsets.US_ASCII), StandardCharsets.US_ASCII));

        @SuppressWarnings("unchecked")
        Dictionary<String, Object> read = ConfigurationHandler.read(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(read.get("name")).isEqualTo("一号柜组 \"North\" \\ gate");
        assertThat(read.get("count")).isEqualTo(200);
        assertThat(read.get("big")).isEqualTo(5_000_000_000L);
        assertThat(read.get("enabled")).isEqualTo(true);
        assertThat(read.get("share")).isEqualTo(0.35d);
        assertThat(read.get("ratio")).isEqualTo(1.5f);
        assertThat((String[]) read.get("companies")).containsExactly("JT", "ZTO", "中通");
        assertThat((Integer[]) read.get("ports")).containsExactly(5683, 5684);
        assertThat(read.get("dotted.key-name_x")).isEqualTo("v");
        assertThat(read.size()).isEqualTo(props.size());
    }
}
