package org.lockergate.identity.internal;

import java.util.stream.Collectors;
import org.lockergate.identity.IdentityService;
import org.lockergate.identity.Operator;
import org.lockergate.identity.Role;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo shell commands {@code identity:operators} and {@code identity:hash}. Gogo calls public methods by name and
 * prints what they return, so no shell API is needed.
 */
@Component(
        service = IdentityCommands.class,
        property = {
            "osgi.command.scope=identity",
            "osgi.command.function=operators",
            "osgi.command.function=hash"
        })
public class IdentityCommands {

    private final IdentityService identity;
    private final PasswordHasher hasher;

    @Activate
    public IdentityCommands(@Reference(name = "identity") IdentityService identity) {
        this(identity, new PasswordHasher());
    }

    IdentityCommands(IdentityService identity, PasswordHasher hasher) {
        this.identity = identity;
        this.hasher = hasher;
    }

    /** One line per configured operator: user name, roles, company. Never a hash. */
    public String operators() {
        if (identity.operators().isEmpty()) {
            return "没有配置操作员 / No operators configured";
        }
        String header = String.format("%-24s %-40s %s%n", "USERNAME", "ROLES", "COMPANY");
        return identity.operators().stream()
                .map(operator -> String.format("%-24s %-40s %s", operator.username(), roles(operator),
                        operator.company() == null ? "" : operator.company()).stripTrailing())
                .collect(Collectors.joining(System.lineSeparator(), header, ""));
    }

    /** The PHC hash of a password, for {@code passwordHash} in an operator configuration. */
    public String hash(String password) {
        return hasher.hash(password.toCharArray());
    }

    private static String roles(Operator operator) {
        return operator.roles().stream().sorted().map(Role::id).collect(Collectors.joining(","));
    }
}
