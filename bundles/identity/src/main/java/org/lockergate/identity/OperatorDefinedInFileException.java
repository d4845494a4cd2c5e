package org.lockergate.identity;

import java.util.Objects;

/**
 * The operator's password cannot be changed through the gateway because the operator is defined in a
 * configuration file (Felix fileinstall): a change stored in ConfigAdmin would be overwritten by the file at the
 * next start. The file must be edited instead; the message (bilingual, safe to show) names it.
 *
 * @since 1.1
 */
public class OperatorDefinedInFileException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String username;
    private final String file;

    public OperatorDefinedInFileException(String username, String file) {
        super("此账号由文件 " + file + " 定义，请修改该文件 / This operator is defined in file " + file
                + ": edit that file (bin/lockergate-passwd prints a hash)");
        this.username = Objects.requireNonNull(username, "username");
        this.file = Objects.requireNonNull(file, "file");
    }

    /** The operator whose password was to be changed. */
    public String username() {
        return username;
    }

    /** The configuration file that defines the operator (a path when it is a local file, else a URL). */
    public String file() {
        return file;
    }
}
