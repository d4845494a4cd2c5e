package org.lockergate.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class MessagesTest {

    @Test
    void both_languages_have_the_same_keys() throws IOException {
        assertThat(load("messages_en.properties").stringPropertyNames())
                .containsExactlyInAnyOrderElementsOf(load("messages_zh.properties").stringPropertyNames());
    }

    @Test
    void every_text_is_a_valid_message_format() throws IOException {
        for (String file : new String[] {"messages_zh.properties", "messages_en.properties"}) {
            Properties texts = load(file);
            for (String key : texts.stringPropertyNames()) {
                assertThat(new MessageFormat(texts.getProperty(key)).format(new Object[] {"a", "b"})).isNotBlank();
            }
        }
    }

    @Test
    void arguments_are_filled_in_without_number_grouping() {
        assertThat(Messages.ZH.text("payload_too_large", String.valueOf(Json.MAX_BODY_BYTES)))
                .isEqualTo("请求体超过了 65536 字节的上限");
        assertThat(Messages.EN.text("bad_request.missing_field", "password")).isEqualTo("Missing field \"password\"");
    }

    @Test
    void an_unknown_key_is_shown_as_itself() {
        assertThat(Messages.EN.text("no.such.key")).isEqualTo("no.such.key");
    }

    private static Properties load(String name) throws IOException {
        Properties texts = new Properties();
        try (InputStream in = Messages.class.getResourceAsStream(name)) {
            texts.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return texts;
    }
}
