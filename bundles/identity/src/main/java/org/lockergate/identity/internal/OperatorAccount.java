package org.lockergate.identity.internal;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.lockergate.identity.Operator;
import org.lockergate.identity.Role;

/**
 * A configured operator with its password hash.
 *
 * @param pid the configuration it comes from; tokens are tied to it, so changing or deleting it ends them
 */
record OperatorAccount(String pid, Operator operator, PhcHash passwordHash) {

    static final int MAX_USERNAME_LENGTH = 64;

    /** Validates one operator configuration. */
    static OperatorAccount fromConfig(String pid, String username, String passwordHash, String[] roleIds,
            String company) throws InvalidOperatorException {
        String name = username == null ? "" : username.strip();
        if (name.isEmpty()) {
            throw new InvalidOperatorException("username is missing");
        }
        if (name.length() > MAX_USERNAME_LENGTH || !name.codePoints().allMatch(OperatorAccount::isNameCharacter)) {
            throw new InvalidOperatorException("username '" + printable(name) + "' must be 1.." + MAX_USERNAME_LENGTH
                    + " characters without spaces or control characters");
        }
        Set<Role> roles = roles(name, roleIds);
        String companyCode = company == null || company.isBlank() ? null : company.strip();
        if (roles.contains(Role.COURIER_COMPANY) && companyCode == null) {
            throw new InvalidOperatorException("user '" + name + "' has role courier-company but no company");
        }
        if (!roles.contains(Role.COURIER_COMPANY)) {
            companyCode = null; // only courier-company viewers are limited to one company
        }
        PhcHash hash;
        try {
            hash = PhcHash.parse(passwordHash);
        } catch (IllegalArgumentException e) {
            throw new InvalidOperatorException("user '" + name + "' has a malformed passwordHash (" + e.getMessage()
                    + "); create one with bin/lockergate-passwd or identity:hash");
        }
        return new OperatorAccount(pid, new Operator(name, roles, companyCode), hash);
    }

    private static Set<Role> roles(String name, String[] roleIds) throws InvalidOperatorException {
        // accept ["admin","technician"] as well as a single "admin,technician" string
        String[] ids = roleIds == null ? new String[0]
                : Arrays.stream(roleIds).flatMap(id -> Arrays.stream(id.split(",")))
                        .map(String::strip).filter(id -> !id.isEmpty()).toArray(String[]::new);
        if (ids.length == 0) {
            throw new InvalidOperatorException("user '" + name + "' has no roles");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String id : ids) {
            Optional<Role> role = Role.fromId(id);
            if (role.isEmpty()) {
                throw new InvalidOperatorException("user '" + name + "' has unknown role '" + printable(id)
                        + "' (known: " + Arrays.stream(Role.values()).map(Role::id).collect(Collectors.joining(", "))
                        + ")");
            }
            roles.add(role.get());
        }
        return roles;
    }

    private static boolean isNameCharacter(int codePoint) {
        return !Character.isWhitespace(codePoint) && !Character.isISOControl(codePoint)
                && Character.isDefined(codePoint);
    }

    /** Keeps log lines on one line whatever the configuration holds. */
    static String printable(String text) {
        String shortened = text.length() > MAX_USERNAME_LENGTH ? text.substring(0, MAX_USERNAME_LENGTH) + "…" : text;
        return shortened.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
    }
}
