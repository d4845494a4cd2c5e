package org.lockergate.identity.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "LockerGate identity",
        description = "Operator tokens and login throttling. Operators themselves are factory configurations "
                + "org.lockergate.identity.user.")
@interface IdentityConfig {

    @AttributeDefinition(
            name = "Token idle timeout (minutes)",
            description = "A token unused this long stops working.",
            min = "1")
    int tokenIdleMinutes() default 30;

    @AttributeDefinition(
            name = "Token lifetime (hours)",
            description = "A token stops working this long after login, however often it is used.",
            min = "1")
    int tokenLifetimeHours() default 12;

    @AttributeDefinition(
            name = "Failures per user name",
            description = "Failed logins for one user name, within the window, that lock it.",
            min = "1")
    int userMaxFailures() default 5;

    @AttributeDefinition(name = "User failure window (minutes)", min = "1")
    int userWindowMinutes() default 5;

    @AttributeDefinition(name = "User lockout (minutes)", min = "1")
    int userLockoutMinutes() default 5;

    @AttributeDefinition(
            name = "Failures per origin",
            description = "Failed logins from one client address, whatever the user name, within the window, "
                    + "that lock it.",
            min = "1")
    int originMaxFailures() default 20;

    @AttributeDefinition(name = "Origin failure window (minutes)", min = "1")
    int originWindowMinutes() default 5;

    @AttributeDefinition(name = "Origin lockout (minutes)", min = "1")
    int originLockoutMinutes() default 5;
}
