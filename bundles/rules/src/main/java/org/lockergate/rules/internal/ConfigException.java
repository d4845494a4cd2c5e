package org.lockergate.rules.internal;

/**
 * A configuration value was refused. The message names the field (in Chinese and English); the component keeps
 * the previous valid configuration.
 */
public final class ConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public ConfigException(String field, String zh, String en) {
        super("配置项 " + field + " 无效：" + zh + " / Configuration field " + field + " refused: " + en);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
