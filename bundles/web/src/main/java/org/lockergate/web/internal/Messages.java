package org.lockergate.web.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Properties;

/**
 * Operator-facing texts: zh-CN by default, English when the request's {@code Accept-Language} prefers {@code en}
 * over {@code zh}. Texts live in {@code messages_zh.properties} / {@code messages_en.properties} (UTF-8) beside
 * this class; a key missing in English falls back to Chinese. Error codes stay English and never change.
 */
final class Messages {

    static final Messages ZH = new Messages(Locale.SIMPLIFIED_CHINESE, "zh-CN", load("messages_zh.properties", null));
    static final Messages EN = new Messages(Locale.ENGLISH, "en", load("messages_en.properties", ZH.texts));

    private final Locale locale;
    private final String languageTag;
    private final Properties texts;

    private Messages(Locale locale, String languageTag, Properties texts) {
        this.locale = locale;
        this.languageTag = languageTag;
        this.texts = texts;
    }

    /** The language the caller prefers among the two we have; Chinese when it names neither. */
    static Messages forRequest(HttpServletRequest request) {
        if (request.getHeader("Accept-Language") == null) {
            return ZH; // getLocales() would answer the server's default locale
        }
        for (Enumeration<Locale> locales = request.getLocales(); locales.hasMoreElements(); ) {
            String language = locales.nextElement().getLanguage();
            if ("zh".equals(language)) {
                return ZH;
            }
            if ("en".equals(language)) {
                return EN;
            }
        }
        return ZH;
    }

    /** The text for a key with {@link MessageFormat} arguments; the key itself when there is no text. */
    String text(String key, Object... args) {
        String pattern = texts.getProperty(key);
        if (pattern == null) {
            return key;
        }
        return args.length == 0 ? pattern : new MessageFormat(pattern, locale).format(args);
    }

    /** The caller's half of a core text "中文 / English" (the whole text when it has no such halves). */
    String half(String bilingual) {
        int slash = bilingual.indexOf(" / ");
        if (slash < 0) {
            return bilingual;
        }
        return this == EN ? bilingual.substring(slash + 3).trim() : bilingual.substring(0, slash).trim();
    }

    /** For {@code Content-Language}. */
    String languageTag() {
        return languageTag;
    }

    private static Properties load(String resource, Properties defaults) {
        Properties texts = defaults == null ? new Properties() : new Properties(defaults);
        try (InputStream in = Messages.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            texts.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return texts;
    }
}
